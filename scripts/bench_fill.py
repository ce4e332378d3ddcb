#!/usr/bin/env python3
"""Fills a migrated Tavla database with synthetic notices, straight into the
tables, for scripts/bench-scale. Not part of the tests or of CI.

    scripts/bench_fill.py --database-url URL --count N [--seed S] [--end YYYY-MM-DD]
                          [--jobs J] [--sample FILE]

URL is a SQLite file path or a postgres:// URL (filled through psql and COPY).
The schema must exist (`tavla migrate`) and the areas must be loaded (any
`tavla token create` or `tavla serve` loads them). The same seed and end date
give the same notices on either backend; scripts/bench_notices.py makes them.

Rows are written as Tavla's own write path writes them (src/store/notices.rs):
UTC instants without offset, applicants as JSON text, revision 1, each link in
notice_areas repeating its notice's kind, state and instant, and change_seq
numbered after the content version, which is raised to the last one.
"""

import argparse
import datetime as dt
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

from bench_notices import AREA_COLUMNS, COLUMNS, Sample, chunks

def fill_sqlite(path, args, sample):
    db = sqlite3.connect(path, isolation_level=None)
    # The fill is one throwaway load: no journal, no fsync, a large page
    # cache, sorts for the index builds on two threads. WAL comes back at the
    # end (Tavla asks for it anyway).
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000",
                   "temp_store=MEMORY", "threads=2"):
        db.execute(f"PRAGMA {pragma}")
    areas = [r[0] for r in db.execute("SELECT slug FROM areas WHERE linkable ORDER BY position")]
    if not areas:
        sys.exit("bench_fill: no linkable areas; run `tavla token create` (or serve) first")
    version = db.execute("SELECT version FROM content_version").fetchone()[0]
    db.execute("BEGIN")
    # Secondary indexes and the FTS triggers are dropped during the load and
    # made again at the end from the definitions migrate wrote: one sorted
    # build and one bulk FTS insert are several times faster than row by row.
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('notices', 'notice_areas')").fetchall()
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notices'").fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    first_rowid = db.execute("SELECT coalesce(max(rowid), 0) FROM notices").fetchone()[0]
    insert = f"INSERT INTO notices ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    insert_area = f"INSERT INTO notice_areas ({', '.join(AREA_COLUMNS)}) VALUES (?, ?, ?, ?, ?)"
    started, done = time.monotonic(), 0
    for rows, links in chunks(args, areas, version + 1, sample):
        db.executemany(insert, rows)
        db.executemany(insert_area, links)
        done += len(rows)
        progress(done, args.count, started)
    phase("rows", started)
    # As the insert trigger does: each notice's search_rowid is the second it
    # was published in, shifted left 20 bits, plus a slot within that second,
    # and its FTS rowid the negation (read forwards, newest first). The
    # new notices' slots start after 1023, clear of any notice already there.
    db.execute("UPDATE notices SET search_rowid = ordered.search_rowid FROM ("
               "SELECT rowid AS row, (unixepoch(published_at) << 20) + 1023 + row_number() "
               "OVER (PARTITION BY unixepoch(published_at) ORDER BY published_at, id) AS search_rowid "
               "FROM notices WHERE rowid > ?) AS ordered WHERE notices.rowid = ordered.row",
               (first_rowid,))
    # The index as a store grown by writes has it, with Tavla's background
    # task merging (store::merge_search_index): the notices come in
    # GROWTH_STEPS steps of equal size, in the order they were written, each
    # one new segment (FTS5 flushes what it holds before a merge, and holds
    # a whole step: `hashsize`), each followed by FTS5's merges until no
    # level holds four segments. So a level holds up to three, as growth
    # leaves them, and a store of any size has as many steps, and levels, as
    # another: at a thousand notices a step is one notice, as a write is.
    last = db.execute("SELECT coalesce(max(rowid), 0) FROM notices").fetchone()[0]
    step = max(1, -(-(last - first_rowid) // GROWTH_STEPS))
    db.execute("INSERT INTO notices_fts (notices_fts, rank) VALUES ('hashsize', ?)", (1 << 30,))
    for low in range(first_rowid, last, step):
        db.execute("INSERT INTO notices_fts (rowid, title, summary, body) "
                   "SELECT -search_rowid, title, summary, body FROM notices "
                   "WHERE rowid > ? AND rowid <= ?", (low, low + step))
        merge_search_index(db)
    db.execute("INSERT INTO notices_fts (notices_fts, rank) VALUES ('hashsize', ?)", (FTS5_HASHSIZE,))
    # As the triggers do row by row: the words of the index, for searches
    # that expand a prefix into them.
    db.execute("INSERT OR IGNORE INTO search_terms (term) SELECT term FROM notices_fts_terms")
    segments = db.execute("SELECT count(DISTINCT segid) FROM notices_fts_idx").fetchone()[0]
    phase(f"full-text index ({segments} segments)", started)
    for _, sql in indexes + triggers:
        db.execute(sql)
    phase("indexes", started)
    db.execute("UPDATE content_version SET version = ?", (max(version, sample.last_seq),))
    db.execute("COMMIT")
    # No ANALYZE: Tavla never runs it, so a real SQLite store plans without
    # statistics, and so must this one. (PostgreSQL's autovacuum does analyze.)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


# How many writes the filler's search index grows by (see fill_sqlite).
GROWTH_STEPS = 1_000
# FTS5's default for how much it holds before it writes a segment.
FTS5_HASHSIZE = 1024 * 1024


def merge_search_index(db):
    """FTS5's merges, as Tavla's background task does them, until no level
    holds four segments: a call that merged changes two rows or more."""
    while True:
        before = db.total_changes
        db.execute("INSERT INTO notices_fts (notices_fts, rank) VALUES ('merge', 5000)")
        if db.total_changes - before < 2:
            return


def copy_text(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    return (value.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def fill_postgres(url, args, sample):
    def query(sql):
        out = subprocess.run(["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line for line in out.splitlines() if line]

    areas = query("SELECT slug FROM areas WHERE linkable ORDER BY position")
    if not areas:
        sys.exit("bench_fill: no linkable areas; run `tavla token create` (or serve) first")
    version = int(query("SELECT version FROM content_version")[0])
    # As on SQLite: indexes other than keys are made again after the load.
    indexes = query(
        "SELECT indexname || '|' || indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename IN ('notices', 'notice_areas') AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint)")
    indexes = [line.split("|", 1) for line in indexes]
    started, done = time.monotonic(), 0
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".copy", delete=False) as links_file:
        links_path = links_file.name
    psql = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"],
                            stdin=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        out = psql.stdin
        out.write("BEGIN;\nSET maintenance_work_mem = '512MB';\n")
        for name, _ in indexes:
            out.write(f'DROP INDEX "{name}";\n')
        out.write(f"COPY notices ({', '.join(COLUMNS)}) FROM STDIN;\n")
        # The links go to a file and follow in a second COPY: psql reads one
        # COPY's data at a time from its input.
        with open(links_path, "w", encoding="utf-8") as links_out:
            for rows, links in chunks(args, areas, version + 1, sample):
                out.writelines("\t".join(map(copy_text, row)) + "\n" for row in rows)
                links_out.writelines("\t".join(link) + "\n" for link in links)
                done += len(rows)
                progress(done, args.count, started)
        out.write("\\.\n")
        out.write(f"\\copy notice_areas ({', '.join(AREA_COLUMNS)}) FROM '{links_path}'\n")
        for _, definition in indexes:
            out.write(definition + ";\n")
        out.write(f"UPDATE content_version SET version = {max(version, sample.last_seq)};\n")
        # VACUUM as autovacuum would soon after such a load: it marks the
        # pages all-visible, which index-only scans (lists by status) rely on.
        out.write("COMMIT;\nVACUUM ANALYZE;\n")
        out.close()
        if psql.wait() != 0:
            sys.exit("bench_fill: psql failed")
    finally:
        os.unlink(links_path)
    phase("rows, full-text vectors, indexes and VACUUM ANALYZE", started)


def progress(done, count, started):
    if done % 200_000 == 0:
        print(f"  {done} of {count} notices written, {time.monotonic() - started:.0f} s",
              file=sys.stderr, flush=True)


def phase(name, started):
    print(f"  {name} done at {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.datetime.now(dt.timezone.utc).date(),
                        help="the day the 20 years of notices end (default: today, UTC)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes making notices (the same notices whatever the number)")
    parser.add_argument("--sample", help="write ids, slugs and the last change sequence here as JSON")
    args = parser.parse_args()
    args.end = dt.datetime.combine(args.end, dt.time())
    sample = Sample(args.seed)
    started = time.monotonic()
    url = args.database_url
    if url.startswith(("postgres://", "postgresql://")):
        fill_postgres(url, args, sample)
    else:
        fill_sqlite(url.removeprefix("sqlite://"), args, sample)
    seconds = time.monotonic() - started
    # On a busy machine the wall time says little; the processor time of this
    # process and its workers (not PostgreSQL's) says what the fill costs.
    cpu = sum(getattr(resource.getrusage(who), field)
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for field in ("ru_utime", "ru_stime"))
    share = {w: round(100 * n / args.count, 3) for w, n in sample.hits.items()}
    print(f"bench_fill: {args.count} notices in {seconds:.1f} s ({cpu:.0f} s of processor time "
          f"here, PostgreSQL's not counted); % of notices containing: {share}", file=sys.stderr)
    if args.sample:
        start = args.end - dt.timedelta(days=round(365.25 * 20))
        with open(args.sample, "w", encoding="utf-8") as f:
            json.dump({"public": sample.public, "last_change_seq": sample.last_seq,
                       "fill_seconds": round(seconds, 1), "word_share_percent": share,
                       "start": start.isoformat(), "end": args.end.isoformat()}, f)


if __name__ == "__main__":
    main()
