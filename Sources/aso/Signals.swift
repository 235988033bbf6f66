// Relaying the process's signals to the interpreter: Ctrl-C as KeyboardInterrupt.
//
// One idea: the C handler only writes the signal's number into a pipe (all a signal handler may
// safely do); a thread of its own reads the pipe and raises the signal in the interpreter, whose
// handler runs on the interpreter's thread at its next safepoint. SIGINT is relayed from the
// start; another signal once the script sets a handler for it (`signal.signal`).

#if canImport(Glibc)
import Glibc
#endif
import Aso

/// The pipe's write end, for the C handler (which can capture nothing).
nonisolated(unsafe) private var relayWriteFD: Int32 = -1

final class SignalRelay: @unchecked Sendable {
    private let readFD: Int32
    /// The interpreter that gets the signals (set before it runs).
    nonisolated(unsafe) var target: Interpreter?

    /// nil when no pipe or thread could be had (signals then keep their default action).
    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        readFD = fds[0]
        relayWriteFD = fds[1]
        var thread = pthread_t()
        let me = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(&thread, nil, { arg in
            if let arg { Unmanaged<SignalRelay>.fromOpaque(arg).takeUnretainedValue().pump() }
            return nil
        }, me)
        guard started == 0 else { return nil }
        pthread_detach(thread)
    }

    /// Relays signal `n` from now on.
    func relay(_ n: Int32) {
        signal(n) { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(relayWriteFD, &byte, 1)
        }
    }

    private func pump() {
        var byte: UInt8 = 0
        while true {
            let n = read(readFD, &byte, 1)
            if n == 1 {
                target?.raiseSignal(Int32(byte))
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// Ends the process by `signal`, with its default action (after the output is written).
func endBySignal(_ signal: Int32) -> Never {
    FileOutput.standardOutput.flush()
    Glibc.signal(signal, SIG_DFL)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signal)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    kill(getpid(), signal)
    // A signal whose default action does not end the process (SIGCHLD, ...).
    exit(128 + signal)
}
