"""The Elasticsearch backend over real HTTP (osmem-server, or DOITHOAI_TEST_ES_URL): what only a
cluster has — alias swaps, an unreachable server, OpenSearch detection, credentials and TLS."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from archive import SearchError, Settings, open_store
from flows.local import ingest_direct
from search import get_backend, parse_query
from search.elastic import ElasticBackend, ElasticConfig, JsonMediaTypeNode
from tests.test_search.conftest import CORPUS, backend_settings


@pytest.fixture
def es_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    return backend_settings("elasticsearch", tmp_path, request)


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_the_text_is_stored_once_and_its_exact_copy_still_ranks(es_settings: Settings) -> None:
    backend = get_backend(es_settings)
    assert isinstance(backend, ElasticBackend)
    backend.add_many(CORPUS)
    [index] = backend._current()
    client = backend.es
    hit = client.search(index=index, query={"match_all": {}}, size=1)["hits"]["hits"][0]
    assert "body" in hit["_source"] and "body_exact" not in hit["_source"] and "title_exact" not in hit["_source"]
    exact = client.search(index=index, query={"match": {"body_exact": "đất"}}, size=50)["hits"]["total"]["value"]
    folded = client.search(index=index, query={"match": {"body": "đất"}}, size=50)["hits"]["total"]["value"]
    assert 0 < exact < folded  # "đất" exactly; folded also finds "dát", "đạt"


def test_reindex_swaps_the_alias_while_searches_keep_answering(es_settings: Settings) -> None:
    backend = get_backend(es_settings)
    backend.add_many(CORPUS)
    assert isinstance(backend, ElasticBackend)
    [before] = backend._current()
    stop, errors, answers = threading.Event(), [], []

    def clerk() -> None:
        while not stop.is_set():
            try:
                answers.append(backend.search(parse_query("đối thoại")).total)
            except Exception as exc:  # any failure during the swap is the bug this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=clerk) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(3):
        backend.rebuild(CORPUS)
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    assert answers and set(answers) == {backend.search(parse_query("đối thoại")).total}
    [after] = backend._current()
    assert after != before
    assert not backend.es.indices.exists(index=before)


def test_a_failed_rebuild_leaves_the_old_index_serving(es_settings: Settings) -> None:
    backend = get_backend(es_settings)
    backend.add_many(CORPUS)
    assert isinstance(backend, ElasticBackend)
    [serving] = backend._current()

    def broken():  # type: ignore[no-untyped-def]
        yield CORPUS[0]
        raise OSError("the store went away mid-rebuild")

    with pytest.raises(OSError):
        backend.rebuild(broken())
    assert backend._current() == [serving]
    assert backend.count() == len(CORPUS)


def test_search_server_down_gives_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path / "h", search_backend="elasticsearch", es_url=f"http://127.0.0.1:{_closed_port()}"
    )
    with pytest.raises(SearchError, match="không truy cập được"):
        get_backend(settings).search(parse_query("đất đai"))


def test_ingest_with_the_server_down_archives_and_indexes_on_the_next_run(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"{i}.txt").write_text(f"Thông báo {i} về giải phóng mặt bằng và tái định cư.")
    down = Settings(
        home=tmp_path / "home", search_backend="elasticsearch", es_url=f"http://127.0.0.1:{_closed_port()}", workers=2
    )
    outcomes = ingest_direct([inbox], down)
    assert [o.status for o in outcomes] == ["archived"] * 3
    assert all(o.indexed is False for o in outcomes)
    assert open_store(down).count() == 3
    up = backend_settings("elasticsearch", tmp_path, request).model_copy(update={"home": down.home})
    again = ingest_direct([inbox], up)  # the next run indexes what the last one could not
    assert {o.status for o in again} == {"duplicate"}
    assert get_backend(up).search(parse_query("giai phong mat bang")).total == 3


def test_opensearch_is_detected_and_spoken_to_in_plain_json(es_settings: Settings) -> None:
    backend = get_backend(es_settings)
    assert isinstance(backend, ElasticBackend)
    if backend.distribution() == "opensearch":
        assert backend.client_options("opensearch")["node_class"] is JsonMediaTypeNode
    assert "node_class" not in backend.client_options("elasticsearch")


def test_credentials_and_tls_settings_reach_the_client(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    settings = Settings(
        home=tmp_path / "h", search_backend="elasticsearch", es_url="https://es.internal:9200",
        es_username="doithoai", es_password="bí mật", es_ca_certs=str(ca), es_verify_certs=False,
    )  # fmt: skip
    backend = get_backend(settings)
    assert isinstance(backend, ElasticBackend)
    options = backend.client_options("elasticsearch")
    assert options["basic_auth"] == ("doithoai", "bí mật")
    assert options["ca_certs"] == str(ca) and options["verify_certs"] is False
    keyed = ElasticBackend(ElasticConfig(url="https://es.internal:9200", api_key="abc=="))
    assert keyed.client_options("elasticsearch")["api_key"] == "abc=="


def test_a_mapping_change_then_reindex_gives_identical_results(es_settings: Settings) -> None:
    import search.elastic as elastic

    backend = get_backend(es_settings)
    backend.add_many(CORPUS)
    queries = ["đất", "giai phong mat bang", "1681", "đối thoại", "", '"giải phóng mặt bằng"']
    before = [[h.id for h in backend.search(parse_query(q)).hits] for q in queries]
    old = elastic.MAPPING_VERSION
    elastic.MAPPING_VERSION = old + 1  # the next mapping version: a new index beside the old one
    try:
        backend.rebuild(CORPUS)
        assert isinstance(backend, ElasticBackend)
        assert f"-v{old + 1}-" in backend._current()[0]
    finally:
        elastic.MAPPING_VERSION = old
    after = [[h.id for h in backend.search(parse_query(q)).hits] for q in queries]
    assert after == before


def test_pages_past_the_result_window_come_by_search_after(es_settings: Settings) -> None:
    backend = get_backend(es_settings)
    backend.add_many(CORPUS)
    assert isinstance(backend, ElasticBackend)
    everything = [h.id for h in backend.search(parse_query("", limit=10)).hits]
    narrow = ElasticBackend(ElasticConfig(url=backend.config.url, alias=backend.config.alias, result_window=2))
    pages = [h.id for offset in (0, 2, 4) for h in narrow.search(parse_query("", limit=2, offset=offset)).hits]
    assert pages == everything
    deep = narrow.search(parse_query("", limit=2, offset=3))
    assert deep.total == len(CORPUS) and deep.facets["doc_type"]
