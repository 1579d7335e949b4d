//! Whole-process time of the generator (`xtask codegen --root`) against progenitor 0.15.1
//! (`progenitor-gen`, this crate's driver) on the same two services, Rooms and Chat.
//!
//! `cargo run --release --manifest-path peers/Cargo.toml --bin vs-progenitor [ROUNDS]`
//!
//! 1. builds `xtask` (release) in the main workspace, into `$XTASK_TARGET_DIR` (default: the
//!    workspace's `target/`; a relative path is taken from the workspace root), and
//!    `progenitor-gen` (release) in this crate, and copies both into `peers/target/peer-bench/`
//!    so that nothing else rewrites them during the run;
//! 2. makes scratch roots under the temp dir holding `specs/common.yaml` plus `specs/rooms.yaml`,
//!    `specs/chat.yaml` or both (all that `codegen --root` reads);
//! 3. for each of Rooms, Chat and Rooms + Chat, and on both cores, then on one core
//!    (`taskset -c 0`), runs ours and progenitor's alternately, ROUNDS (default 15, at least 15)
//!    times each after one untimed run of each, each run a fresh process writing into an
//!    emptied output directory (emptied outside the timing), and prints the medians, p10/p90
//!    and the ratio of the medians, ours / progenitor.
//!    Each run's CPU time (user + system, from `getrusage(RUSAGE_CHILDREN)`) is reported too,
//!    since other load on the machine inflates wall time; and a first row times process start-up
//!    alone (`xtask --help` vs `progenitor-gen` printing its usage);
//! 4. prints the lines written by each, and /proc/loadavg at the start and at the end.
//!
//! Input files are read once before timing, so the page cache is warm: "cold" is the process,
//! not the disk.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const CONFIGS: [(&str, &[&str]); 3] =
    [("Rooms", &["rooms"]), ("Chat", &["chat"]), ("Rooms + Chat", &["rooms", "chat"])];

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_owned()).unwrap_or_default()
}

fn run(command: &mut Command) -> Result<(), String> {
    let out = command.stdout(Stdio::null()).output().map_err(|e| format!("{command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Builds the two binaries and returns private copies of (xtask, progenitor-gen).
fn build(root: &Path, peers: &Path) -> Result<(PathBuf, PathBuf), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Relative to the workspace root, like the default.
    let xtask_target =
        root.join(std::env::var("XTASK_TARGET_DIR").unwrap_or_else(|_| "target".into()));
    eprintln!("building xtask (release) into {}", xtask_target.display());
    run(Command::new(&cargo).current_dir(root).env("CARGO_TARGET_DIR", &xtask_target).args([
        "build",
        "--release",
        "-p",
        "xtask",
    ]))?;
    eprintln!("building progenitor-gen (release) into peers/target");
    run(Command::new(&cargo)
        .current_dir(peers)
        .env("CARGO_TARGET_DIR", peers.join("target"))
        .args(["build", "--release", "--bin", "progenitor-gen"]))?;
    let bin = peers.join("target/peer-bench");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    let xtask = bin.join("xtask");
    let progenitor = bin.join("progenitor-gen");
    std::fs::copy(xtask_target.join("release/xtask"), &xtask).map_err(|e| e.to_string())?;
    std::fs::copy(peers.join("target/release/progenitor-gen"), &progenitor)
        .map_err(|e| e.to_string())?;
    // A shared target dir can hold another checkout's xtask; this one must know `--root`.
    let help = Command::new(&xtask).arg("--help").output().map_err(|e| e.to_string())?;
    if !String::from_utf8_lossy(&help.stdout).contains("codegen [--check] --root DIR") {
        return Err(format!(
            "{} has no `codegen --root`: built from another checkout?",
            xtask.display()
        ));
    }
    Ok((xtask, progenitor))
}

fn empty_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

/// Lines of every file under `dir`, and of its `.rs` files only.
fn lines(dir: &Path) -> (usize, usize) {
    let (mut all, mut rust) = (0, 0);
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                all += text.lines().count();
                if path.extension().is_some_and(|e| e == "rs") {
                    rust += text.lines().count();
                }
            }
        }
    }
    (all, rust)
}

/// User + system CPU time of all waited-for children so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Wall time and CPU time (user + system) of one run of `command`, which must succeed unless
/// `may_fail`.
fn timed(command: &mut Command, may_fail: bool) -> Result<(Duration, Duration), String> {
    let cpu = children_cpu();
    let start = Instant::now();
    let out = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    let elapsed = start.elapsed();
    if !out.status.success() && !may_fail {
        return Err(format!("{command:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok((elapsed, children_cpu().saturating_sub(cpu)))
}

/// Runs `a` and `b` alternately, once untimed then `rounds` times, calling `before(true)` ahead
/// of each run of `a` and `before(false)` ahead of each run of `b`; prints one line of medians
/// and returns (median wall A / median wall B).
fn interleaved(
    label: &str,
    rounds: usize,
    may_fail: bool,
    mut before: impl FnMut(bool) -> Result<(), String>,
    mut a: impl FnMut() -> Command,
    mut b: impl FnMut() -> Command,
) -> Result<f64, String> {
    let (mut wall_a, mut wall_b, mut cpu_a, mut cpu_b) = (vec![], vec![], vec![], vec![]);
    for timed_run in std::iter::once(false).chain(std::iter::repeat_n(true, rounds)) {
        before(true)?;
        let (wa, ca) = timed(&mut a(), may_fail)?;
        before(false)?;
        let (wb, cb) = timed(&mut b(), may_fail)?;
        if timed_run {
            wall_a.push(wa);
            wall_b.push(wb);
            cpu_a.push(ca);
            cpu_b.push(cb);
        }
    }
    let (ma, mb) = (quantile(&mut wall_a, 0.5), quantile(&mut wall_b, 0.5));
    let (ca, cb) = (quantile(&mut cpu_a, 0.5), quantile(&mut cpu_b, 0.5));
    println!(
        "  {label:<13} ours {:>6.1} ms (p10 {:>5.1}, p90 {:>5.1}; CPU {:>5.1})   progenitor {:>6.1} ms (p10 {:>5.1}, p90 {:>5.1}; CPU {:>5.1})   RATIO ours/progenitor wall {:.3}, CPU {:.3}",
        ms(ma),
        ms(quantile(&mut wall_a, 0.1)),
        ms(quantile(&mut wall_a, 0.9)),
        ms(ca),
        ms(mb),
        ms(quantile(&mut wall_b, 0.1)),
        ms(quantile(&mut wall_b, 0.9)),
        ms(cb),
        ms(ma) / ms(mb),
        ms(ca) / ms(cb),
    );
    Ok(ms(ma) / ms(mb))
}

fn quantile(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * q) as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<(), String> {
    let rounds: usize = match std::env::args().nth(1) {
        None => 15,
        Some(n) => match n.parse() {
            Ok(n) if n >= 15 => n,
            _ => return Err("usage: vs-progenitor [ROUNDS]  (ROUNDS >= 15)".to_owned()),
        },
    };
    let peers = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = peers.parent().ok_or("peers/ has no parent")?;
    let (xtask, progenitor) = build(root, peers)?;

    let scratch = std::env::temp_dir().join(format!("peer-bench-{}", std::process::id()));
    let mut cases = Vec::new();
    for (label, services) in CONFIGS {
        let ours = scratch.join(format!("ours-{}", services.join("-")));
        std::fs::create_dir_all(ours.join("specs")).map_err(|e| e.to_string())?;
        for spec in std::iter::once(&"common").chain(services) {
            let from = root.join(format!("specs/{spec}.yaml"));
            std::fs::copy(&from, ours.join(format!("specs/{spec}.yaml")))
                .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }
        let theirs_out = scratch.join(format!("progenitor-{}", services.join("-")));
        let inputs: Vec<PathBuf> =
            services.iter().map(|s| peers.join(format!("openapi/{s}.json"))).collect();
        for input in &inputs {
            std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        }
        cases.push((label, ours, theirs_out, inputs));
    }

    println!("load average at start: {}", loadavg());
    println!(
        "{} rounds each, interleaved (ours, progenitor, ours, …); whole-process wall time",
        rounds
    );
    // `taskset -c 0 PROGRAM …` execs PROGRAM in the same process, pinned to CPU 0.
    let command = |taskset: bool, program: &Path| {
        if taskset {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    };
    let ours_cmd = |taskset: bool| command(taskset, &xtask);
    let theirs_cmd = |taskset: bool| command(taskset, &progenitor);
    for (cores, taskset) in [("2 cores", false), ("1 core (taskset -c 0)", true)] {
        println!("\n{cores}: medians of wall time (and of CPU time, user + system)");
        // Process start-up alone: `xtask --help` and `progenitor-gen` without arguments (usage).
        interleaved(
            "start-up",
            rounds,
            true,
            |_| Ok(()),
            || {
                let mut c = ours_cmd(taskset);
                c.arg("--help");
                c
            },
            || theirs_cmd(taskset),
        )?;
        for (label, ours, theirs_out, inputs) in &cases {
            interleaved(
                label,
                rounds,
                false,
                |ours_next| {
                    if ours_next {
                        empty_dir(&ours.join("generated"))
                    } else {
                        empty_dir(theirs_out)
                    }
                },
                || {
                    let mut c = ours_cmd(taskset);
                    c.arg("codegen").arg("--root").arg(ours);
                    c
                },
                || {
                    let mut c = theirs_cmd(taskset);
                    c.arg(theirs_out).args(inputs);
                    c
                },
            )?;
        }
    }

    println!("\noutput lines (last run):");
    for (label, ours, theirs_out, _) in &cases {
        let (all, rust) = lines(&ours.join("generated"));
        let (_, src) = lines(&ours.join("generated/src"));
        let (theirs, _) = lines(theirs_out);
        println!(
            "  {label:<13} ours {all} lines in all files ({rust} in .rs files, {src} in src/)   progenitor {theirs} lines"
        );
    }
    println!("\nload average at end: {}", loadavg());
    empty_dir(&scratch)?;
    Ok(())
}
