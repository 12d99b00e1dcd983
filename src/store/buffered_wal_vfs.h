// A SQLite VFS that hands a connection's WAL frames to the file in 64 KB
// writes instead of two system calls per frame.
//
// SQLite's unix VFS writes each WAL frame as a 24-byte header and a page,
// each with its own pwrite: a commit of 400 frames makes 800 system calls,
// and on a virtual machine that was about half of the commit's CPU time
// (docs/performance.md, Session 9). This VFS wraps the default one and, for
// WAL files only, collects consecutive writes in memory and hands them to
// the file in 64 KB writes when SQLite syncs the WAL, reads it, asks its
// size, truncates or closes it, or when the next write is not adjacent.
// Everything else (the database file, locks, shared memory) goes straight
// through.
//
// Only for a connection with synchronous=FULL: SQLite syncs the WAL at every
// commit before it publishes the new frames to other connections in the
// shared WAL index, so every frame another connection can see is in the file.
// With NORMAL there is no sync at commit and other connections would read
// frames still in this buffer; such connections use the default VFS.
//
// A write error surfaces at the flush, from the sync (or read, truncate, ...)
// that caused it: SQLite then fails that commit and rolls it back, as it would
// for a failed write. Nothing is acknowledged before its bytes are synced.
#ifndef PITBOSS_SRC_STORE_BUFFERED_WAL_VFS_H_
#define PITBOSS_SRC_STORE_BUFFERED_WAL_VFS_H_

namespace pitboss {
namespace store_internal {

// Registers the VFS on first use (not as the default) and returns its name
// for sqlite3_open_v2; nullptr (the default VFS) if SQLite has none to wrap.
const char* BufferedWalVfs();

}  // namespace store_internal
}  // namespace pitboss

#endif  // PITBOSS_SRC_STORE_BUFFERED_WAL_VFS_H_
