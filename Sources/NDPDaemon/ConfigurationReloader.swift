import Logging
import NDPPolicy

/// Reloads the configuration file on SIGHUP, all or nothing.
public enum ConfigurationReloader {
    /// Loads `path`. On success returns the new rules; on any problem logs every problem at
    /// error level (file:line: key: message) and returns nil: the caller keeps the rules in
    /// force, so a broken edit never takes the proxy down.
    public static func reload(path: String, logger: Logger) -> [ProxyRule]? {
        do {
            let configuration = try ConfigurationLoader.load(path: path)
            return configuration.proxies
        } catch {
            for problem in error.problems {
                logger.error("\(problem.description)")
            }
            logger.error("reload of \(path) refused (\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s")): the previous configuration stays in force")
            return nil
        }
    }
}
