//! Command line: parse flags, call the library, map results to exit codes
//! (0 ok, 1 problems in the inputs, 2 usage or I/O error).

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use guichet::clock::Clock;
use guichet::files;
use guichet::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "guichet",
    version,
    about = "Build a public directory of access points to public services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build {
        /// Directory holding guichet.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build clock, RFC 3339 (default: SOURCE_DATE_EPOCH, else now).
        #[arg(long)]
        now: Option<String>,
        /// Public URL the site is served under, e.g. https://example.org/annuaire/.
        #[arg(long)]
        base_url: Option<String>,
        /// Charter findings block the build too.
        #[arg(long)]
        strict: bool,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on changes and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// First port to try (the next ones if taken; 0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Folder for the preview's files (default: a temporary folder of its
        /// own; public/ is never touched).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Address to listen on; anything but loopback lets other machines in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Fixed build clock, RFC 3339 (default: SOURCE_DATE_EPOCH, else the live clock).
        #[arg(long)]
        now: Option<String>,
    },
    /// Start a new directory: guichet.toml, folders for sites and notices,
    /// a guide for editors and a publishing workflow.
    Init {
        /// Folder to create (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also write into a folder that is not empty (never overwrites a file).
        #[arg(long)]
        force: bool,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
    /// Write a synthetic directory of N sites, for benchmarks.
    #[command(hide = true)]
    BenchGen {
        /// Folder to write (created).
        root: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        sites: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Check the inputs and each label's charter.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        now: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also build (or read --out) and check that every internal link resolves.
        #[arg(long)]
        links: bool,
        /// With --links: check this already built folder instead of building.
        #[arg(long, requires = "links")]
        out: Option<PathBuf>,
        /// With --links: the URL the site is served under (default: guichet.toml's).
        #[arg(long, requires = "links")]
        base_url: Option<String>,
    },
    /// Create a content file to edit.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Import a national open-data list into data/sites/.
    Import {
        /// CSV file: the France services list or the lieux de médiation numérique standard.
        file: PathBuf,
        /// france-services or mediation-num (default: detected from the header).
        #[arg(long)]
        format: Option<guichet::import::Format>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum New {
    /// Write content/notices/<from>-<site>.md: a closure, temporary hours or information.
    Notice {
        /// The site, as named in data/sites/ (without .toml).
        site: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: NaiveDate,
        /// Last day, inclusive (default: the first day).
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, default_value = "closure", value_parser = ["closure", "hours", "info"])]
        kind: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Clock for the `published` date, RFC 3339 (default: SOURCE_DATE_EPOCH, else now).
        #[arg(long)]
        now: Option<String>,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Copy shipped templates or static files into templates/ and static/ to edit them.
    Eject {
        /// Files or folders of the theme, e.g. `templates/site.html`,
        /// `style.css` or `static` (default: the whole theme).
        files: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The build clock: `--now`, else `SOURCE_DATE_EPOCH`, else the system clock.
fn clock(now: Option<&str>) -> Result<DateTime<Utc>, String> {
    Clock::from_settings(now).map(Clock::now)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            now,
            base_url,
            strict,
            timings,
        } => {
            let now = match clock(now.as_deref()) {
                Ok(n) => n,
                Err(e) => return usage(&e),
            };
            let opts = BuildOptions {
                root,
                out,
                now,
                base_url,
                strict,
            };
            match guichet::build(&opts) {
                Ok(report) => {
                    eprint!(
                        "{}",
                        report
                            .diagnostics
                            .to_text_with(&mut |f| files::source_text(&opts.root, f))
                    );
                    eprintln!(
                        "built {} pages ({} files, {:.1} MB) into {} in {:.2} s",
                        report.stats.pages,
                        report.stats.files,
                        report.stats.bytes as f64 / 1e6,
                        report.out.display(),
                        report.elapsed.as_secs_f64()
                    );
                    if timings {
                        eprintln!("timings: {}", report.phases.with_memory());
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Input(diags)) => {
                    eprint!(
                        "{}",
                        diags.to_text_with(&mut |f| files::source_text(&opts.root, f))
                    );
                    eprintln!("nothing was published: fix the errors above and build again");
                    ExitCode::from(1)
                }
                Err(BuildError::Io(e)) => usage(&format!("cannot write the output: {e}")),
            }
        }
        Command::Init { dir, force } => match guichet::init::init(&dir, force) {
            Ok(written) => {
                for file in &written {
                    eprintln!("  wrote {}", dir.join(file).display());
                }
                let cd = if dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", dir.display())
                };
                eprintln!(
                    "new directory ready. Next: add a site in data/sites/ (see README.md) or \
                     `{cd}guichet import liste-fs.csv`, then `guichet serve`"
                );
                ExitCode::SUCCESS
            }
            Err(e) => usage(&e.to_string()),
        },
        Command::Theme {
            what: ThemeCommand::Eject { files, root },
        } => match guichet::reference::eject(&root, &files) {
            Ok(written) => {
                for file in &written {
                    eprintln!("  wrote {}", root.join(file).display());
                }
                eprintln!("edit these files: they now override the built-in theme");
                ExitCode::SUCCESS
            }
            Err(e) => usage(&e),
        },
        Command::Check {
            root,
            now,
            format,
            links,
            out,
            base_url,
        } => {
            let now = match clock(now.as_deref()) {
                Ok(n) => n,
                Err(e) => return usage(&e),
            };
            let mut diags = guichet::check_directory(&root, now);
            if links {
                match guichet::pipeline::check_links(
                    &root,
                    now,
                    out.as_deref(),
                    base_url.as_deref(),
                ) {
                    Ok(d) => diags.extend(d),
                    Err(e) => return usage(&format!("cannot check links: {e}")),
                }
            }
            match format {
                Format::Text => {
                    say(&diags.to_text_with(&mut |f| files::source_text(&root, f)));
                    if diags.is_empty() {
                        say("no problems found\n");
                    }
                }
                Format::Json => say(&format!("{}\n", diags.to_json())),
            }
            if diags.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New {
            what:
                New::Notice {
                    site,
                    from,
                    to,
                    kind,
                    root,
                    now,
                },
        } => {
            let now = match clock(now.as_deref()) {
                Ok(n) => n,
                Err(e) => return usage(&e),
            };
            let opts = guichet::new_notice::NewNotice {
                root,
                site,
                kind: guichet::model::NoticeKind::parse(&kind).expect("clap checked the kind"),
                from,
                to,
                now,
            };
            match guichet::new_notice::create(&opts) {
                Ok(created) => {
                    say(&format!("{}\n", created.path));
                    eprint!("{}", created.diagnostics.to_text());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(e.exit_code())
                }
            }
        }
        Command::Import {
            file,
            format,
            root,
            dry_run,
        } => match guichet::import::import(&file, &root, format, dry_run) {
            Ok(report) => {
                eprint!("{}", report.to_text());
                ExitCode::from(u8::from(report.skipped() > 0))
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(e.exit_code())
            }
        },
        Command::Serve {
            root,
            port,
            out,
            bind,
            now,
        } => {
            let clock = match Clock::from_settings(now.as_deref()) {
                Ok(c) => c,
                Err(e) => return usage(&e),
            };
            let opts = guichet::serve::ServeOptions {
                root,
                out,
                bind,
                port,
                clock,
            };
            match guichet::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => usage(&e),
            }
        }
        Command::BenchGen { root, sites, seed } => {
            match guichet::synth::generate(&root, sites, seed) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => usage(&format!("cannot write {}: {e}", root.display())),
            }
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`guichet check | head`).
fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

// Rendering allocates many short-lived strings and JSON values from every
// thread at once; mimalloc's thread-local heaps make that markedly cheaper
// than the system allocator (see BENCHMARKS.md, "profile").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
