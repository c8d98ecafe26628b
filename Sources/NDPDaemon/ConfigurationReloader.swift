import Dispatch
import Logging
import NDPIO
import NDPPolicy
import Synchronization

/// Reloads the configuration file on SIGHUP, all or nothing.
public enum ConfigurationReloader {
    /// Loads `path`. On success returns the new rules; on any problem logs every problem at
    /// error level (file:line: key: message) and returns nil: the caller keeps the rules in
    /// force, so a broken edit never takes the proxy down.
    public static func reload(path: String, logger: Logger) -> [ProxyRule]? {
        if case .loaded(let rules) = attempt(path: path, logger: logger) { return rules }
        return nil
    }

    /// As `reload`, with the problems of a refused file (for `ndpd reload`'s answer).
    static func attempt(path: String, logger: Logger) -> BackgroundReload.Outcome {
        do {
            let configuration = try ConfigurationLoader.load(path: path)
            return .loaded(configuration.proxies)
        } catch {
            for problem in error.problems {
                logger.error("\(problem.description)")
            }
            logger.error(
                "reload of \(path) refused (\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s")): the previous configuration stays in force"
            )
            return .refused(error.problems.map(\.description))
        }
    }
}

/// A SIGHUP reload run off the poll loop: reading and checking a large file (a targets-file
/// of a million guests takes a second or more) must not stall the answers. The loop keeps
/// answering under the old rules; the loader thread leaves its outcome here and wakes the
/// loop, which swaps the rules in between two frames.
final class BackgroundReload: Sendable {
    /// What a finished load produced.
    enum Outcome: Sendable {
        /// The new rules.
        case loaded([ProxyRule])
        /// The file was refused, for these problems (also logged); the old rules stay.
        case refused([String])
    }

    private let state = Mutex<(running: Bool, again: Bool, outcome: Outcome?)>((false, false, nil))
    private let wakeup: Wakeup

    init(wakeup: Wakeup) { self.wakeup = wakeup }

    /// Starts loading `path` on another thread. A request while a load is running is
    /// remembered and run right after it, so the last SIGHUP always wins.
    func start(path: String, logger: Logger) {
        let idle = state.withLock { state in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        guard idle else { return }
        DispatchQueue.global().async { [self] in
            while true {
                let outcome = ConfigurationReloader.attempt(path: path, logger: logger)
                let again = state.withLock { state in
                    state.outcome = outcome
                    let again = state.again
                    state.again = false
                    if !again { state.running = false }
                    return again
                }
                wakeup.notify()
                if !again { return }
            }
        }
    }

    /// True when no load runs and none is queued: the outcome taken last is the newest, and
    /// answers every reload asked for before it.
    var isIdle: Bool { state.withLock { !$0.running } }

    /// The outcome of the load that finished, if any (taken: returned once).
    func take() -> Outcome? {
        state.withLock { state in
            defer { state.outcome = nil }
            return state.outcome
        }
    }
}
