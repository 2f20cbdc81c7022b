/**
 * The dock's page: the participant's inbox of proposed handovers, each proposal's items, and accept
 * (with the items counted, one per line) or reject (with a reason). The page holds no key: it calls
 * the gateway's handover desk with the client's API token, kept in the tab's session storage.
 * Everything shown is set as text, never as HTML: proposals come from other companies.
 */
export function dockPage(participant: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dock: handovers for participant ${participant}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
button{margin-right:.5rem}textarea{width:100%;min-height:6rem}#message{min-height:1.5rem;font-weight:600}
.status-accepted{color:#0a6b2d}.status-rejected,.status-expired,.status-withdrawn{color:#8a1c1c}
</style></head>
<body>
<h1>Handovers for participant ${participant}</h1>
<form id="login"><label>API token <input id="token" type="password" autocomplete="off" size="48"></label>
<button type="submit">Open the inbox</button></form>
<p id="message" role="status"></p>
<table id="inbox" hidden><thead><tr><th>Shipment</th><th>From</th><th>Items</th><th>Deadline</th><th>Status</th><th></th></tr></thead><tbody></tbody></table>
<section id="detail" hidden>
<h2 id="detail-title"></h2><ul id="items"></ul>
<label>Items counted (one per line; empty: as proposed)<textarea id="received"></textarea></label>
<p><button id="accept">Accept</button>
<label>Reason <input id="reason" size="40"></label> <button id="reject">Reject</button></p>
</section>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let current = null;
const say = (text) => { $("message").textContent = text; };
async function call(method, path, body) {
  const headers = { authorization: "Bearer " + sessionStorage.getItem("token") };
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.detail || json.title || ("HTTP " + r.status));
  return json;
}
function cell(row, text, cls) { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; }
async function load() {
  try {
    const { proposals } = await call("GET", "/handovers/inbox");
    const body = $("inbox").tBodies[0];
    body.replaceChildren();
    for (const p of proposals) {
      const row = body.insertRow();
      row.dataset.id = p.id;
      cell(row, p.shipmentRef); cell(row, "participant " + p.from); cell(row, String(p.itemCount));
      cell(row, p.deadline.slice(0, 16).replace("T", " ")); cell(row, p.status + (p.reason ? " (" + p.reason + ")" : ""), "status-" + p.status);
      const open = document.createElement("button"); open.textContent = "Open"; open.onclick = () => show(p.id);
      cell(row, "").append(open);
    }
    $("inbox").hidden = false;
    say(proposals.length ? proposals.length + " proposals" : "Nothing addressed to you");
  } catch (e) { say(e.message); }
}
async function show(id) {
  try {
    const p = await call("GET", "/handovers/proposals/" + id);
    current = p;
    $("detail-title").textContent = p.shipmentRef + " from participant " + p.from + ": " + p.status;
    $("items").replaceChildren(...p.proposal.items.map((i) => { const li = document.createElement("li"); li.textContent = i; return li; }));
    $("received").value = "";
    $("detail").hidden = false;
    $("accept").disabled = $("reject").disabled = p.status !== "proposed";
  } catch (e) { say(e.message); }
}
$("login").onsubmit = (e) => { e.preventDefault(); sessionStorage.setItem("token", $("token").value); load(); };
$("accept").onclick = async () => {
  const lines = $("received").value.split(/\\r?\\n/).map((l) => l.trim()).filter(Boolean);
  try {
    await call("POST", "/handovers/proposals/" + current.id + "/accept", lines.length ? { received: lines } : {});
    await load(); await show(current.id); say("Accepted " + current.shipmentRef);
  } catch (e) { say("Not accepted: " + e.message); }
};
$("reject").onclick = async () => {
  try {
    await call("POST", "/handovers/proposals/" + current.id + "/reject", { reason: $("reason").value });
    await load(); await show(current.id); say("Rejected " + current.shipmentRef);
  } catch (e) { say("Not rejected: " + e.message); }
};
if (sessionStorage.getItem("token")) load();
</script></body></html>`;
}
