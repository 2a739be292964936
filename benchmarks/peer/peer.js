// The peer's side of `make bench-peer`: PouchDB 9 (leveldb on disk) replicating with pouchdb-server 4.2.
// Usage: node peer.js <server url> <work folder> <docs.json> <round> <no-op samples>
// Prints one JSON line: {"initial_s", "push_s", "noop_ms": [...], "docs"}. The same three workloads as
// fieldapp's side of benchmarks/bench_peer.py: first sync of the documents, a push after an offline day
// (1,000 new + 1,000 updated documents, then a two-way sync), and no-op syncs.
"use strict";
const fs = require("fs");
const path = require("path");
const PouchDB = require("pouchdb");

async function main() {
  const [server, work, docsPath, round, samples] = process.argv.slice(2);
  const docs = JSON.parse(fs.readFileSync(docsPath, "utf8"));
  const remote = new PouchDB(`${server}/patients_${round}`);
  for (let i = 0; i < docs.length; i += 1000) {
    await remote.bulkDocs(docs.slice(i, i + 1000)); // arranging, not timed
  }
  const local = new PouchDB(path.join(work, `device_${round}`));

  let start = process.hrtime.bigint();
  await local.replicate.from(remote, { batch_size: 1000, batches_limit: 2 });
  const initial = Number(process.hrtime.bigint() - start) / 1e9;
  const held = (await local.info()).doc_count;
  if (held !== docs.length) throw new Error(`pulled ${held} documents, not ${docs.length}`);

  const day = [];
  const existing = await local.allDocs({ include_docs: true, limit: 1000 });
  for (const row of existing.rows) {
    day.push({ ...row.doc, phone: "+1 845-555-0199", care_plan: `Reviewed in round ${round}.` });
  }
  for (let i = 0; i < 1000; i++) {
    const model = docs[i];
    day.push({ ...model, _id: `${model._id.slice(0, 24)}${String(900000000000 + i * 7 + Number(round))}`, _rev: undefined });
  }
  await local.bulkDocs(day.map((d) => { const c = { ...d }; if (c._rev === undefined) delete c._rev; return c; }));
  start = process.hrtime.bigint();
  await local.sync(remote, { batch_size: 500 });
  const push = Number(process.hrtime.bigint() - start) / 1e9;
  const served = (await remote.info()).doc_count;
  if (served !== docs.length + 1000) throw new Error(`the server holds ${served} documents`);

  const noop = [];
  for (let i = 0; i < Number(samples) + 3; i++) {
    start = process.hrtime.bigint();
    const result = await local.sync(remote);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.push.docs_written || result.pull.docs_written) throw new Error("not a no-op");
    if (i >= 3) noop.push(ms);
  }
  await local.close();
  await remote.close();
  console.log(JSON.stringify({ initial_s: initial, push_s: push, noop_ms: noop, docs: docs.length }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
