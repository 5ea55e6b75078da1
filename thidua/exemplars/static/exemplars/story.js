// The story editor's toolbar: wraps the selection of the textarea in an allowed tag, or inserts a photo.
// The server keeps only allowed tags whatever is typed (thidua/exemplars/sanitise.py).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-story-toolbar] button");
  if (!button) return;
  const toolbar = button.closest("[data-story-toolbar]");
  const area = document.getElementById(toolbar.dataset.storyToolbar);
  if (!area) return;
  const start = area.selectionStart, end = area.selectionEnd;
  const selected = area.value.slice(start, end);
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  let text;
  if (button.dataset.wrap) {
    text = `<${button.dataset.wrap}>${selected}</${button.dataset.wrap}>`;
  } else if (button.dataset.list) {
    const items = (selected || "").split("\n").filter((line) => line.trim()).map((line) => `  <li>${line.trim()}</li>`);
    text = `<${button.dataset.list}>\n${items.join("\n") || "  <li></li>"}\n</${button.dataset.list}>`;
  } else if (button.dataset.photo) {
    const caption = button.dataset.caption ? `<figcaption>${escape(button.dataset.caption)}</figcaption>` : "";
    text = `<figure><img src="${button.dataset.photo}" alt="${escape(button.dataset.alt || "")}">${caption}</figure>`;
  } else {
    return;
  }
  area.setRangeText(text, start, end, "end");
  area.focus();
});
