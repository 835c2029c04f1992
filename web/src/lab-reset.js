// The page that resets one lesson in the lab: lab-reset.html?lesson=01_tanh_neuron.ipynb.
//
// JupyterLite (dist/lab, web/lab.py) keeps each notebook a student saves in
// IndexedDB, through localforage (its BrowserStorageDrive): the database is
// named by `contentsStorageName` in lab/jupyter-lite.json, its object store
// "files" holds the notebook under its path ("01_tanh_neuron.ipynb": no
// leading slash), and "checkpoints" holds that file's checkpoints under the
// same key.  A file with no record there is read from the build
// (lab/files/, listed in lab/api/contents/all.json), so deleting the two
// records, as JupyterLite's own delete does, brings the original back.
//
// The lesson's name is data from the address: it is used only once it is
// found, exactly, among the notebooks of lab/api/contents/all.json, and
// only as a key and as a URL's query value, never as code or HTML.
import { page } from "./site.js";

const ROOT = new URL("./", import.meta.url);
const LAB = new URL("lab/", ROOT);
const STORES = ["files", "checkpoints"]; // BrowserStorageDrive's stores keyed by a file's path ("counters" is not)

export const labLesson = (name) => new URL(`notebooks/index.html?path=${encodeURIComponent(name)}`, LAB).href;

page({
  async mount(main) {
    const box = main.querySelector("#reset");
    const wanted = new URLSearchParams(location.search).get("lesson");
    let lessons;
    try {
      lessons = await labLessons();
    } catch (error) {
      say(box, `The lab's list of lessons did not load (${error.message}): is the lab built (web/build.py)?`, "failed");
      return;
    }
    if (!lessons.includes(wanted)) {
      unknown(box, wanted, lessons);
      return;
    }
    offer(box, wanted);
  },
});

// The notebooks the lab was built with, by name, from JupyterLite's index of its files.
async function labLessons() {
  const response = await fetch(new URL("api/contents/all.json", LAB));
  if (!response.ok) throw new Error(`${response.status}`);
  const listing = await response.json();
  return (listing.content || [])
    .filter((item) => item && item.type === "notebook" && typeof item.name === "string" && item.path === item.name)
    .map((item) => item.name);
}

// The name of the lab's store in this browser, from the lab's settings.
async function storageName() {
  const response = await fetch(new URL("jupyter-lite.json", LAB));
  if (!response.ok) throw new Error(`lab/jupyter-lite.json: ${response.status}`);
  const name = (await response.json())["jupyter-config-data"]?.contentsStorageName;
  if (typeof name !== "string" || !name) throw new Error("lab/jupyter-lite.json names no contentsStorageName");
  return name;
}

// Deletes the stored copy of `lesson` (and its checkpoints); resolves to true if there was one.
export async function forgetLesson(lesson) {
  const db = await openExisting(await storageName());
  if (!db) return false; // the lab never stored anything in this browser
  try {
    const stores = STORES.filter((store) => db.objectStoreNames.contains(store));
    if (!stores.length) return false;
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(stores, "readwrite");
      const found = transaction.objectStore(stores[0]).getKey(lesson);
      for (const store of stores) transaction.objectStore(store).delete(lesson);
      transaction.oncomplete = () => resolve(found.result !== undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("the deletion was aborted"));
    });
  } finally {
    db.close();
  }
}

// The IndexedDB database `name` if it exists, else null (and it is not created).
function openExisting(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    let created = false;
    request.onupgradeneeded = () => {
      created = true; // it did not exist: undo its creation
      request.transaction.abort();
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      if (created) {
        event.preventDefault();
        resolve(null);
      } else reject(request.error);
    };
    request.onblocked = () => reject(new Error("the lab's storage is busy: close the lab's other tabs and try again"));
  });
}

function offer(box, lesson) {
  box.replaceChildren();
  const question = element("p", {}, "Reset ", element("code", {}, lesson), " to the lesson as it was built? The changes you saved to it in the lab are lost.");
  const button = element("button", { type: "button", id: "reset-lesson" }, "Reset the lesson and open it");
  const keep = element("a", { href: labLesson(lesson) }, "Keep my changes and open it");
  const status = element("p", { id: "reset-status", role: "status" });
  box.append(question, element("p", { className: "buttons" }, button, " ", keep), status);
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    status.textContent = "Resetting…";
    try {
      const had = await forgetLesson(lesson);
      status.textContent = had ? "Reset: opening the lesson…" : "There were no saved changes: opening the lesson…";
      location.assign(labLesson(lesson));
    } catch (error) {
      status.textContent = `Not reset: ${error.message}`;
      button.removeAttribute("aria-disabled");
    }
  });
}

function unknown(box, wanted, lessons) {
  box.replaceChildren(
    element("p", { id: "reset-status", role: "status" }, wanted ? "There is no lesson named " : "Which lesson? ", wanted ? element("code", {}, wanted) : "", wanted ? " in the lab. " : "", "Choose one:"),
    element("ul", {}, ...lessons.map((name) => element("li", {}, element("a", { href: `lab-reset.html?lesson=${encodeURIComponent(name)}` }, name)))),
  );
}

function say(box, text, state) {
  box.replaceChildren(element("p", { id: "reset-status", role: "status", dataset: { state } }, text));
}

function element(tag, properties, ...children) {
  const node = document.createElement(tag);
  const { dataset, ...rest } = properties;
  Object.assign(node, rest);
  Object.assign(node.dataset, dataset || {});
  node.append(...children);
  return node;
}
