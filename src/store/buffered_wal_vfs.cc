// The WAL-write-coalescing VFS (buffered_wal_vfs.h).
#include "src/store/buffered_wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <string>

namespace pitboss {
namespace store_internal {
namespace {

// Writes are handed on once this much is pending (a commit of the default
// 4 MB WAL stays below it; a transaction that spills more goes in steps).
constexpr size_t kMaxPending = size_t{8} << 20;

// SQLite allocates szOsFile bytes per open file: this header, then the
// wrapped VFS's own file object.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* pending;  // WAL files only: writes not yet in the file
  sqlite3_int64 start;   // the file offset of pending[0]
};
constexpr int kHeaderSize = static_cast<int>((sizeof(File) + 7) / 8 * 8);

File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
const sqlite3_io_methods& Real(File* f) { return *f->real->pMethods; }
sqlite3_vfs* RealVfs(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

// The unix VFS writes at most 128 KB per call (it masks larger sizes: SQLite
// itself never writes more than a 64 KB page at once).
constexpr size_t kMaxWrite = size_t{64} << 10;

int Flush(File* f) {
  if (f->pending == nullptr) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < f->pending->size() && rc == SQLITE_OK; done += kMaxWrite) {
    const size_t n = std::min(kMaxWrite, f->pending->size() - done);
    rc = Real(f).xWrite(f->real, f->pending->data() + done, static_cast<int>(n),
                        f->start + static_cast<sqlite3_int64>(done));
  }
  f->pending->clear();
  return rc;
}

int Close(sqlite3_file* file) {
  File* f = Of(file);
  const int flushed = Flush(f);
  delete f->pending;
  f->pending = nullptr;
  const int closed = Real(f).xClose(f->real);
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = Of(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xRead(f->real, out, amount, offset);
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = Of(file);
  if (f->pending == nullptr) return Real(f).xWrite(f->real, data, amount, offset);
  // Only a write that continues the pending ones joins them: order on disk
  // stays the order SQLite wrote in.
  if (!f->pending->empty() &&
      offset != f->start + static_cast<sqlite3_int64>(f->pending->size())) {
    if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->pending->empty()) f->start = offset;
  f->pending->append(static_cast<const char*>(data), static_cast<size_t>(amount));
  return f->pending->size() >= kMaxPending ? Flush(f) : SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = Of(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  File* f = Of(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  File* f = Of(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) {
  return Real(Of(file)).xLock(Of(file)->real, level);
}
int Unlock(sqlite3_file* file, int level) {
  return Real(Of(file)).xUnlock(Of(file)->real, level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(Of(file)).xCheckReservedLock(Of(file)->real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  File* f = Of(file);
  // Size hints, chunk sizes and the like act on the file: it first gets
  // what is pending.
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) { return Real(Of(file)).xSectorSize(Of(file)->real); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(Of(file)).xDeviceCharacteristics(Of(file)->real);
}

int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  File* f = Of(file);
  if (Real(f).iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return Real(f).xShmMap(f->real, page, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = Of(file);
  if (Real(f).iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return Real(f).xShmLock(f->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) {
  File* f = Of(file);
  if (Real(f).iVersion >= 2) Real(f).xShmBarrier(f->real);
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  File* f = Of(file);
  if (Real(f).iVersion < 2) return SQLITE_OK;
  return Real(f).xShmUnmap(f->real, delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = Of(file);
  *out = nullptr;
  if (Real(f).iVersion < 3) return SQLITE_OK;  // no memory map: SQLite reads instead
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFetch(f->real, offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  File* f = Of(file);
  if (Real(f).iVersion < 3) return SQLITE_OK;
  return Real(f).xUnfetch(f->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    /*iVersion=*/3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  File* f = Of(file);
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kHeaderSize);
  f->real->pMethods = nullptr;
  f->pending = nullptr;
  f->start = 0;
  sqlite3_vfs* real = RealVfs(vfs);
  const int rc = real->xOpen(real, name, f->real, flags, out_flags);
  // SQLite calls xClose whenever pMethods is set, also after a failed open.
  if (f->real->pMethods == nullptr) return rc;
  f->base.pMethods = &kMethods;
  if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0) f->pending = new std::string();
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return RealVfs(vfs)->xDelete(RealVfs(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return RealVfs(vfs)->xAccess(RealVfs(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return RealVfs(vfs)->xFullPathname(RealVfs(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return RealVfs(vfs)->xDlOpen(RealVfs(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  RealVfs(vfs)->xDlError(RealVfs(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return RealVfs(vfs)->xDlSym(RealVfs(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  RealVfs(vfs)->xDlClose(RealVfs(vfs), handle);
}
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xRandomness(RealVfs(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return RealVfs(vfs)->xSleep(RealVfs(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return RealVfs(vfs)->xCurrentTime(RealVfs(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xGetLastError(RealVfs(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return RealVfs(vfs)->xCurrentTimeInt64(RealVfs(vfs), out);
}

sqlite3_vfs* Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  // xCurrentTimeInt64 is the newest method forwarded.
  if (real == nullptr || real->iVersion < 2) return nullptr;
  static sqlite3_vfs vfs = {};
  vfs.iVersion = 2;
  vfs.szOsFile = kHeaderSize + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = "pitboss-buffered-wal";
  vfs.pAppData = real;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* BufferedWalVfs() {
  static sqlite3_vfs* const vfs = Register();
  return vfs != nullptr ? vfs->zName : nullptr;
}

}  // namespace store_internal
}  // namespace pitboss
