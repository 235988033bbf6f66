// What `aso run` keeps resident: the start-up's and the exit's pages of code are not the program's.
//
// A run's peak resident set counts every page of the binary and of the shared libraries it
// touched, and a page fault maps 64 KiB or more of the file around the page it needs (the kernel's
// fault-around, and large folios in the page cache). Start-up runs much code once (the runtime
// setting up its builtins and modules, the initialisers of Foundation, ICU and libdispatch, the
// loader), and the C++ destructors and exit handlers of those libraries touch as much again when
// the process exits: for a small program that was about 2.5 MiB of its peak (docs/architecture.md,
// "The binary's layout"). So `aso run` drops its mappings of read-only file pages once the
// interpreter is made, and ends the process without running exit handlers.

#if canImport(Glibc)
import Glibc

/// Drops this process's mappings of the file pages it only reads (the code and read-only data of
/// the executable and of the shared libraries): the kernel maps each page again, from the page
/// cache, when it is next used. A mapping holding a page of its own (one the loader wrote, as
/// relocations do) is left alone, since dropping it would bring back the file's bytes.
func releaseReadOnlyFilePages() {
    guard let file = fopen("/proc/self/smaps", "r") else { return }
    defer { fclose(file) }
    // (Parsed as bytes: this runs at start-up, and strings and arrays per line would leave their
    // allocator pages behind.)
    let capacity: Int32 = 1024
    let line = UnsafeMutablePointer<CChar>.allocate(capacity: Int(capacity))
    line.initialize(repeating: 0, count: Int(capacity))
    defer { line.deallocate() }
    var candidate: (start: UInt, end: UInt)? = nil
    // (A line longer than the buffer comes in pieces: only a line's first piece is read.)
    var atLineStart = true
    while fgets(line, capacity, file) != nil {
        let firstPiece = atLineStart
        atLineStart = strchr(line, 0x0A /* \n */) != nil
        guard firstPiece else { candidate = nil; continue }
        var i = 0
        let start = hexNumber(line, &i)
        if i > 0 && line[i] == 0x2D /* - */ {
            // A mapping's first line: "start-end perms offset dev inode path".
            i += 1
            let end = hexNumber(line, &i)
            candidate = nil
            // Readable, not writable, private, with a file behind it.
            guard line[i] == 0x20, line[i + 1] == 0x72 /* r */, line[i + 2] == 0x2D /* - */,
                  line[i + 4] == 0x70 /* p */, strchr(line, 0x2F /* / */) != nil, end > start else { continue }
            candidate = (start, end)
        } else if let range = candidate, strncmp(line, "Anonymous:", 10) == 0 {
            candidate = nil
            var j = 10
            while line[j] == 0x20 { j += 1 }
            if line[j] == 0x30 /* 0 */, line[j + 1] == 0x20, let p = UnsafeMutableRawPointer(bitPattern: range.start) {
                _ = madvise(p, Int(range.end &- range.start), MADV_DONTNEED)
            }
        }
    }
}

/// The hexadecimal number at `line[i...]` (lower case, as the kernel writes it); `i` moves past it.
private func hexNumber(_ line: UnsafeMutablePointer<CChar>, _ i: inout Int) -> UInt {
    var n: UInt = 0
    while true {
        let c = UInt8(bitPattern: line[i])
        let digit: UInt
        switch c {
        case 0x30...0x39: digit = UInt(c &- 0x30)
        case 0x61...0x66: digit = UInt(c &- 0x61 &+ 10)
        default: return n
        }
        n = n &<< 4 | digit
        i += 1
    }
}

#else
func releaseReadOnlyFilePages() {}
#endif

/// Ends the process with `status` once its output is written, without exit handlers or the
/// libraries' destructors (nothing of the interpreter's needs them).
func finish(_ status: Int32) -> Never {
    FileOutput.standardOutput.flush()
    FileOutput.standardError.flush()
    #if canImport(Glibc)
    fflush(nil)
    _exit(status)
    #else
    exit(status)
    #endif
}
