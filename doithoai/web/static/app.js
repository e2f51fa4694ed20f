// doithoai: small progressive enhancements; every page works without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Changing the sort order searches again at once.
  const sort = document.querySelector("form.search select[name=sort]");
  if (sort) sort.addEventListener("change", () => sort.form.submit());
});

// Confirm destructive actions (dismiss from quarantine).
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) ev.preventDefault();
});

// Upload: drag and drop, several files, each sent on its own with its progress shown.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("upload-progress");
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  zone.addEventListener("drop", (e) => { if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; send(e.dataTransfer.files); } });

  function send(files) {
    list.innerHTML = "";
    const jobs = Array.from(files).map((file) => new Promise((resolve) => {
      const li = document.createElement("li");
      li.textContent = file.name + ": đang tải lên…";
      list.appendChild(li);
      const data = new FormData();
      data.append("files", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/inbox");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) li.textContent = file.name + ": " + Math.round(100 * e.loaded / e.total) + "%"; };
      xhr.onload = () => {
        let msg = "đã vào hộp thư đến";
        if (xhr.status >= 300) {
          try { msg = "lỗi — " + JSON.parse(xhr.responseText).error.message; } catch (_) { msg = "lỗi (" + xhr.status + ")"; }
          li.className = "status-failed";
        } else { li.className = "status-done"; }
        li.textContent = file.name + ": " + msg;
        resolve();
      };
      xhr.onerror = () => { li.textContent = file.name + ": mất kết nối, chưa tải lên"; li.className = "status-failed"; resolve(); };
      xhr.send(data);
    }));
    Promise.all(jobs).then(() => {
      const done = document.createElement("li");
      done.textContent = "Xong. Bấm “Lưu ngay” để lưu ngay bây giờ.";
      done.setAttribute("data-upload-done", "1");
      list.appendChild(done);
    });
  }
  form.addEventListener("submit", (e) => {
    if (!input.files.length) return;
    e.preventDefault();
    send(input.files);
  });
});

// "Lưu ngay": start the run and follow it file by file (polling; never blocks the page).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ingest-form");
  const box = document.getElementById("job");
  if (!form || !box) return;
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  function show(job) {
    const files = job.files.map((f) => `<li>${esc(f.name)}: <span class="status status-${esc(f.status)}">${esc(f.status_label)}</span>${f.reason ? " — " + esc(f.reason) : ""}</li>`).join("");
    box.innerHTML = `<p class="job-line" data-status="${esc(job.status)}"><span class="status status-${esc(job.status)}">${esc(job.status_label)}</span> — ${job.done}/${job.total} tệp${job.error ? " — " + esc(job.error) : ""}</p><ul class="progress-list">${files}</ul>`;
  }
  function follow(id) {
    fetch("/api/runs/" + encodeURIComponent(id)).then((r) => r.json()).then((job) => {
      show(job);
      if (job.status === "running" || job.status === "queued") setTimeout(() => follow(id), 700);
      else document.getElementById("ingest-button").disabled = false;
    }).catch(() => setTimeout(() => follow(id), 2000));
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const button = document.getElementById("ingest-button");
    button.disabled = true;
    box.innerHTML = '<p class="job-line">Đang bắt đầu…</p>';
    fetch("/api/ingest", { method: "POST" }).then((r) => r.json()).then((j) => {
      if (j.error) { box.innerHTML = `<p class="job-line">${esc(j.error.message)}</p>`; button.disabled = false; return; }
      history.replaceState(null, "", "/luu-tru?job=" + j.id);
      follow(j.id);
    });
  });
  if (box.dataset.job) follow(box.dataset.job);
});

// Drafting form: repeating groups (add/remove rows), dates typed dd/mm/yyyy or picked.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("draft-form");
  if (!form) return;
  function renumber(fieldset) {
    const base = fieldset.dataset.path;
    fieldset.querySelectorAll(":scope > .rows > .row").forEach((row, i) => {
      row.dataset.row = i;
      row.querySelectorAll("[name]").forEach((el) => {
        const rest = el.name.slice(base.length + 1).replace(/^\d+/, String(i));
        el.name = base + "." + rest;
        el.id = "f-" + el.name.replace(/\./g, "-");
      });
      row.querySelectorAll("label[for]").forEach((l) => {
        const el = l.parentElement.querySelector("[name]");
        if (el) l.htmlFor = el.id;
      });
    });
  }
  form.addEventListener("click", (e) => {
    const t = e.target;
    if (t.classList.contains("add-row")) {
      const fs = t.closest("fieldset.repeat");
      const rows = fs.querySelector(":scope > .rows");
      const last = rows.querySelector(":scope > .row:last-child");
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input, textarea").forEach((el) => { el.value = ""; el.removeAttribute("aria-invalid"); });
      copy.querySelectorAll(".problem").forEach((p) => p.remove());
      copy.querySelectorAll(".invalid").forEach((f) => f.classList.remove("invalid"));
      rows.appendChild(copy);
      renumber(fs);
      const first = copy.querySelector("input, textarea, select");
      if (first) first.focus();
    } else if (t.classList.contains("remove-row")) {
      const fs = t.closest("fieldset.repeat");
      const rows = fs.querySelectorAll(":scope > .rows > .row");
      if (rows.length > 1) t.closest(".row").remove();
      else t.closest(".row").querySelectorAll("input, textarea").forEach((el) => { el.value = ""; });
      renumber(fs);
    }
  });
  form.querySelectorAll("input[data-date]").forEach((input) => {
    const picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.setAttribute("aria-label", "Chọn ngày trên lịch");
    picker.tabIndex = -1;
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.value.trim());
    if (m) picker.value = `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
    picker.addEventListener("change", () => {
      const [y, mo, d] = picker.value.split("-");
      if (y) input.value = `${d}/${mo}/${y}`;
    });
    input.after(picker);
  });
});
