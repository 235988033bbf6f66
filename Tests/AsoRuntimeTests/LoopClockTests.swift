// The event loop's clocks: the virtual clock runs at real speed and jumps to a deadline only when
// the loop asks it to (nothing ready, no I/O in flight); the system clock never jumps.

import Testing
@testable import AsoRuntime

/// A real-time source the test moves by hand.
private final class FakeRealTime {
    var seconds = 100.0
}

@Test func virtualClockRunsAtRealSpeedBetweenJumps() {
    let real = FakeRealTime()
    let clock = VirtualClock(realTime: { real.seconds })
    let start = clock.now()
    #expect(start == 100)
    // Code running (a busy loop polling loop.time()) sees the time pass.
    real.seconds += 0.25
    #expect(clock.now() == start + 0.25)
}

@Test func virtualClockJumpsExactlyToTheDeadline() {
    let real = FakeRealTime()
    let clock = VirtualClock(realTime: { real.seconds })
    #expect(clock.isVirtual)
    #expect(clock.skip(to: 3700))
    #expect(clock.now() == 3700)
    // After the jump it runs on at real speed from the deadline.
    real.seconds += 0.5
    #expect(clock.now() == 3700.5)
    #expect(clock.skip(to: 3800.25))
    #expect(clock.now() == 3800.25)
}

@Test func virtualClockNeverGoesBack() {
    let real = FakeRealTime()
    let clock = VirtualClock(realTime: { real.seconds })
    real.seconds += 10
    // A deadline already passed (the loop ran late): the clock stays where real time put it.
    #expect(clock.skip(to: 105))
    #expect(clock.now() == 110)
    // A NaN deadline moves nothing either (asyncio treats such a timer as due now).
    #expect(clock.skip(to: .nan))
    #expect(clock.now() == 110)
}

@Test func virtualClockJumpsOverLargeDeadlinesWithoutFallingShort() {
    // Far from the real time the doubles are coarse; after a jump the clock still reads at least
    // the deadline, so the timer is due when the loop looks.
    let real = FakeRealTime()
    real.seconds = 12345.678
    let clock = VirtualClock(realTime: { real.seconds })
    let deadline = clock.now() + 1e10 / 3
    #expect(clock.skip(to: deadline))
    #expect(clock.now() >= deadline)
    real.seconds += 1e-6
    #expect(clock.now() >= deadline)
}

@Test func systemClockWaitsInRealTime() {
    let clock = SystemClock()
    #expect(!clock.isVirtual)
    let t = clock.now()
    #expect(!clock.skip(to: t + 60))
    #expect(clock.now() < t + 60)
    #expect(clock.now() >= t)
}
