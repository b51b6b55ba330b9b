//! What the benchmarks share: reading a process's memory and the demo's printed tokens.

/// A `/proc/<pid>/status` figure in KiB (`VmRSS:`, `VmHWM:`).
pub fn rss_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// The first API token `cpor demo` printed for `role`. The tokens come after the web
/// sign-in lines, which start with roles too.
pub fn demo_token(demo_output: &str, role: &str) -> String {
    demo_output
        .lines()
        .skip_while(|l| !l.starts_with("API tokens"))
        .find(|l| l.trim_start().starts_with(role))
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string()
}
