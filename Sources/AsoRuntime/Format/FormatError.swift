// The errors of the formatting and number-conversion helpers in this folder.
// Each case carries CPython's exact message; the runtime turns the case into the Python exception of
// the same name (ValueError, TypeError, OverflowError, MemoryError).

import BigInt

/// An error raised by a formatting or conversion helper, with CPython's exact message.
enum FormatError: Error, Equatable, Sendable {
    case valueError(String)
    case typeError(String)
    case overflowError(String)
    case memoryError(String)

    /// The message, without the exception class name.
    var message: String {
        switch self {
        case .valueError(let m), .typeError(let m), .overflowError(let m), .memoryError(let m):
            return m
        }
    }

    /// The Python exception class name ("ValueError", ...).
    var pythonTypeName: String {
        switch self {
        case .valueError: return "ValueError"
        case .typeError: return "TypeError"
        case .overflowError: return "OverflowError"
        case .memoryError: return "MemoryError"
        }
    }
}

/// A Python int produced by a conversion: inline when it fits a machine word, big otherwise.
enum ExactInteger: Equatable, Sendable, CustomStringConvertible {
    case small(Int)
    case big(BigInt)

    /// Wraps `value`, choosing `.small` whenever it fits an `Int`.
    init(_ value: BigInt) {
        if let small = Int(exactly: value) {
            self = .small(small)
        } else {
            self = .big(value)
        }
    }

    var bigValue: BigInt {
        switch self {
        case .small(let v): return BigInt(v)
        case .big(let v): return v
        }
    }

    var description: String {
        switch self {
        case .small(let v): return String(v)
        case .big(let v): return String(v)
        }
    }
}

/// CPython's default for `sys.get_int_max_str_digits()`.
let defaultIntMaxStrDigits = 4300
