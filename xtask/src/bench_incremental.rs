//! `cargo xtask bench-specs --incremental N OUTDIR [--rounds R]`: the real `codegen` (specs read
//! from disk, files written) on the synthetic specs of [`crate::bench_specs`], measured three
//! ways in one process, interleaved round by round so that a busy phase of the machine hits all
//! three alike:
//!
//! * cold: `OUTDIR/generated/` removed first, so every file is made and written;
//! * nothing changed: run again on the files just written;
//! * one operation changed: one operation's description edited in one spec (alternating
//!   between two texts, so every round changes it), then run again.
//!
//! Each run is a process of its own (this program, `bench-specs --codegen-once DIR`), so that its
//! peak resident memory (`VmHWM`) and CPU time (every thread, from `/proc/self/stat`) are its
//! own. Reported per kind: the median wall time, operations per second, CPU time, the highest
//! peak memory and how many files were made again and written; the load average is printed
//! before and after.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::bench_specs::{peak_rss_kib, synthetic_specs};
use crate::codegen::{run_with_report, Mode, Report};

/// One timed `codegen` run.
struct Run {
    wall: Duration,
    cpu: Option<Duration>,
    peak_kib: Option<u64>,
    formatted: usize,
    written: usize,
}

/// Runs the benchmark; see the module documentation.
pub fn run(operations: usize, out: &Path, rounds: usize) -> Result<String, String> {
    let sources = synthetic_specs(operations);
    let specs = out.join("specs");
    let _ = std::fs::remove_dir_all(&specs);
    std::fs::create_dir_all(&specs)
        .map_err(|e| format!("cannot create {}: {e}", specs.display()))?;
    for source in &sources {
        let path = out.join(&source.name);
        std::fs::write(&path, &source.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // The operation edited: the middle one, in its module's spec.
    let target = sources.len() / 2;
    let edited_spec = out.join(&sources[target].name);
    let original = sources[target].text.clone();
    let from = "Runs operation ";
    if !original.contains(from) {
        return Err(format!("{} has no operation to edit", sources[target].name));
    }
    drop(sources);

    let mut report = format!(
        "bench-specs --incremental: {operations} operations, {rounds} round(s) of cold / nothing changed / one operation changed, in {}\nload average before: {}",
        out.display(),
        load_average()
    );
    if cfg!(debug_assertions) {
        report.push_str("\nwarning: debug build; build with `cargo build --release -p xtask`");
    }
    let (mut cold, mut warm, mut one) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let _ = std::fs::remove_dir_all(out.join("generated"));
        cold.push(timed(out)?);
        warm.push(timed(out)?);
        // Alternate between two texts so that every round is a change.
        let text = if round % 2 == 0 {
            original.replacen(from, "Runs, as edited, operation ", 1)
        } else {
            original.clone()
        };
        std::fs::write(&edited_spec, text)
            .map_err(|e| format!("cannot write {}: {e}", edited_spec.display()))?;
        one.push(timed(out)?);
    }
    let _ = writeln!(report, "\nload average after: {}", load_average());
    let cold_median = median(&cold);
    for (name, runs) in
        [("cold", &cold), ("nothing changed", &warm), ("one operation changed", &one)]
    {
        let m = median(runs);
        let run = runs.iter().find(|r| r.wall == m).unwrap_or(&runs[0]);
        let peak = runs.iter().filter_map(|r| r.peak_kib).max();
        let _ = writeln!(
            report,
            "{name:<22} median {:>8.3} s = {:>8.0} operations/s, {:>5.1} % of cold; CPU {}; peak RSS {}; {} files made again, {} written (runs: {})",
            m.as_secs_f64(),
            operations as f64 / m.as_secs_f64(),
            100.0 * m.as_secs_f64() / cold_median.as_secs_f64(),
            run.cpu.map(|c| format!("{:.3} s", c.as_secs_f64())).unwrap_or_else(|| "n/a".into()),
            peak.map(|k| format!("{:.1} MB", k as f64 * 1024.0 / 1e6)).unwrap_or_else(|| "n/a".into()),
            run.formatted,
            run.written,
            runs.iter().map(|r| format!("{:.3}", r.wall.as_secs_f64())).collect::<Vec<_>>().join(", "),
        );
    }
    Ok(report.trim_end().to_owned())
}

/// Runs `codegen` on `root` in a child process: see [`once`].
fn timed(root: &Path) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let start = Instant::now();
    let output = std::process::Command::new(exe)
        .args(["bench-specs", "--codegen-once"])
        .arg(root)
        .output()
        .map_err(|e| format!("cannot run codegen: {e}"))?;
    let wall = start.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "codegen failed: {}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let (Some(formatted), Some(written)) = (field(0), field(1)) else {
        return Err(format!("unexpected output of --codegen-once: {stdout}"));
    };
    Ok(Run {
        wall,
        cpu: field(2).map(Duration::from_millis),
        peak_kib: field(3),
        formatted: formatted as usize,
        written: written as usize,
    })
}

/// `bench-specs --codegen-once DIR`: one `codegen` run on `DIR`, printing the files made again,
/// the files written, the CPU time of the process in ms and its peak resident memory in KiB.
pub fn once(root: &Path) -> Result<String, String> {
    let Report { formatted, changed, .. } = run_with_report(root, Mode::Write)?;
    let cpu = process_cpu_time().map(|c| c.as_millis().to_string()).unwrap_or_else(|| "-".into());
    let peak = peak_rss_kib().map(|k| k.to_string()).unwrap_or_else(|| "-".into());
    Ok(format!("{} {} {cpu} {peak}", formatted.len(), changed.len()))
}

fn median(runs: &[Run]) -> Duration {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    walls.sort();
    walls.get(walls.len() / 2).copied().unwrap_or_default()
}

/// User and system CPU time of the whole process, every thread included (`/proc/self/stat`,
/// in clock ticks of 1/100 s, the Linux value of `USER_HZ`).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unavailable".to_owned())
}
