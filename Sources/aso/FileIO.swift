// Small file helpers over the C library (no Foundation) for the command line: reading a program,
// buffered standard output and error.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading whole files.
enum FileInput {
    /// The bytes of a file, or nil if it cannot be read (missing, a directory, ...).
    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n < 65536 {
                if ferror(f) != 0 { return nil }
                break
            }
        }
        return out
    }

    /// All of standard input.
    static func readStandardInput() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { systemRead(0, $0.baseAddress, 65536) }
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n <= 0 { break }
        }
        return out
    }
}

/// A buffered writer to standard output or standard error.
final class FileOutput: @unchecked Sendable {
    static let standardOutput = FileOutput(fd: 1, bufferLimit: 1 << 16)
    static let standardError = FileOutput(fd: 2, bufferLimit: 0)
    private let fd: Int32
    private var bufferLimit: Int
    /// Written out at every newline (standard output on a terminal, as CPython's is).
    private var lineBuffered = false
    private var buffer: [UInt8] = []

    init(fd: Int32, bufferLimit: Int) {
        self.fd = fd
        self.bufferLimit = bufferLimit
    }

    /// How standard output is buffered, as CPython decides it: written through at every write
    /// when `unbuffered` (`PYTHONUNBUFFERED` set and not empty, or `-u`), at every newline on a
    /// terminal, else in blocks (and by `print(..., flush=True)`, `sys.stdout.flush()` and at exit).
    func configureBuffering(unbuffered: Bool) {
        if unbuffered {
            bufferLimit = 0
        } else if isatty(fd) != 0 {
            lineBuffered = true
        }
    }

    func write(_ s: String) {
        if fd == 2 { FileOutput.standardOutput.flush() }
        buffer.append(contentsOf: s.utf8)
        if buffer.count > bufferLimit || (lineBuffered && s.utf8.contains(10)) { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return systemWrite(fd, base + offset, raw.count - offset)
            }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
