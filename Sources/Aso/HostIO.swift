// The interpreter's default for standard error when the host gives no sink, over the C library
// (no Foundation).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
