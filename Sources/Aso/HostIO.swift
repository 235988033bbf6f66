// The interpreter's defaults for the host's files and streams, over the C library (no Foundation):
// reading an imported module's source, and standard error when the host gives no sink.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, or nil if it cannot be read (missing, a directory, ...).
func readFileBytes(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
        if n > 0 { out.append(contentsOf: buffer[0..<n]) }
        if n < 65536 { return ferror(f) != 0 ? nil : out }
    }
}

/// Writes text to the process's standard error, unbuffered.
func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return write(2, base + offset, raw.count - offset)
        }
        if n <= 0 { break }
        offset += n
    }
}
