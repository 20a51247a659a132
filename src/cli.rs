//! The command line, declared with clap: doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

use crate::complete;

use newsidx::search::Sort;
use newsidx::timeline;

/// Search scraped news articles by passage, with state, sector and date
/// extracted from the text.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, propagate_version = true)]
#[command(after_long_help = "\
Examples:
  newsidx index                         build or update index/ from seeds/
  newsidx search semiconductor          best passages, highlighted
  newsidx search --state Karnataka EV   filtered by state
  newsidx stats                         what the index holds")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after its name; listed apart
/// from a command's own in `--help`. Each has a `NEWSIDX_*` variable, and
/// a config file may set its default (see `newsidx config`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Index folder.
    #[arg(
        long,
        global = true,
        env = "NEWSIDX_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
    /// Articles folder.
    #[arg(
        long,
        global = true,
        env = "NEWSIDX_ARTICLES",
        default_value = "seeds",
        value_name = "DIR"
    )]
    pub articles: PathBuf,
    /// Taxonomy file (TOML) replacing the built-in states, sectors and
    /// prefectures (default: the one the index was built with).
    #[arg(long, global = true, env = "NEWSIDX_TAXONOMY", value_name = "FILE")]
    pub taxonomy: Option<PathBuf>,
    /// When to colour output; NO_COLOR is respected.
    #[arg(
        long,
        global = true,
        env = "NEWSIDX_COLOR",
        value_enum,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from the articles folder.
    #[command(after_long_help = "\
Examples:
  newsidx index                       add new, replace changed, drop deleted articles
  newsidx index seeds/new-story.txt   index just these files, without walking the folder
  newsidx index seeds/2025            walk just this folder
  newsidx index --watch               keep the index fresh until Ctrl-C
  newsidx index --rebuild --json      rebuild from scratch, summary as JSON")]
    Index(IndexArgs),
    /// Search articles, each answered by its best passage; exit 0 with hits,
    /// 1 without, 2 on error.
    #[command(after_long_help = "\
Examples:
  newsidx search semiconductor
  newsidx search '\"industrial park\" -cookies' --state Assam --since 2025
  newsidx search --json -- chip -Assam          a word starting with '-' goes after --
  newsidx search 'EV OR battery' --sector electric-mobility --json
  printf 'chip\\nrare earth\\n' | newsidx search --queries -")]
    Search(SearchArgs),
    /// Counts of articles, passages, states, sectors and years.
    #[command(after_long_help = "\
Examples:
  newsidx stats
  newsidx stats --since 2025 --sector semiconductors
  newsidx stats --json | jq .states")]
    Stats(StatsArgs),
    /// Matching articles per month, quarter or year, drawn as bars.
    #[command(after_long_help = "\
Examples:
  newsidx timeline semiconductor --by quarter
  newsidx timeline --split state --since 2024
  newsidx timeline 'EV OR battery' --by year --json")]
    Timeline(TimelineArgs),
    /// One line per indexed article with its metadata.
    #[command(after_long_help = "\
Examples:
  newsidx list
  newsidx list --state Gujarat --since 2024
  newsidx list --json | jq -r 'select(.states == []) | .path'
  newsidx list --duplicates          groups of reprinted wire copy")]
    List(ListArgs),
    /// One article's metadata and cleaned text.
    #[command(after_long_help = "\
Examples:
  newsidx show 000_8b97a1bc6a3ecd42.txt
  newsidx show 3f1c2a9e8b7d6c5a --json")]
    Show(ShowArgs),
    /// Write the index out for Quickwit, Elasticsearch/OpenSearch or any
    /// NDJSON pipeline, for collections that outgrow one machine.
    #[command(after_long_help = "\
Examples:
  newsidx export --to quickwit --out export/qw        index-config.yaml + passages.ndjson
  newsidx export --to elasticsearch --out export/es   mapping.json + bulk.ndjson (OpenSearch too)
  newsidx export --to ndjson > articles.jsonl         one article per line, re-indexable
  newsidx export --to ndjson --passages --out passages.ndjson

Load the output:
  quickwit index create --index-config export/qw/index-config.yaml
  quickwit index ingest --index newsidx --input-path export/qw/passages.ndjson
  curl -X PUT localhost:9200/newsidx -H 'Content-Type: application/json' --data-binary @export/es/mapping.json
  curl -X POST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @export/es/bulk.ndjson")]
    Export(ExportArgs),
    /// Read every file of the index and say whether it is whole (exit 0) or
    /// damaged (exit 2, naming the files and the repair).
    #[command(after_long_help = "\
Examples:
  newsidx check
  newsidx check --json")]
    Check(OutputArgs),
    /// Measure extraction or ranking against hand-made labels.
    #[command(
        subcommand,
        after_long_help = "\
Examples:
  newsidx --articles ../shared/dev-articles eval extraction --labels ../shared/dev-articles/labels.jsonl
  newsidx eval search --queries eval/queries.jsonl --json"
    )]
    Eval(EvalCommand),
    /// Print the script that makes a shell complete newsidx's commands,
    /// options and values: taxonomy values for --state, --sector,
    /// --prefecture and --org, indexed paths for `show`.
    #[command(after_long_help = "\
Examples:
  source <(newsidx completions bash)                     in ~/.bashrc
  source <(newsidx completions zsh)                      in ~/.zshrc
  newsidx completions fish > ~/.config/fish/completions/newsidx.fish

The script asks newsidx for the candidates at each Tab (the same as
`COMPLETE=bash newsidx`), from the index and taxonomy that NEWSIDX_INDEX,
NEWSIDX_TAXONOMY or a config file name.")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff), or write one per command with --out.
    #[command(after_long_help = "\
Examples:
  newsidx man > newsidx.1 && man ./newsidx.1
  newsidx man search | man -l -                  newsidx-search(1)
  newsidx man --out /usr/local/share/man/man1    newsidx.1, newsidx-index.1, newsidx-search.1, …")]
    Man(ManArgs),
    /// The settings in effect and where each came from: the command line,
    /// a NEWSIDX_* variable, a config file (./newsidx.toml, then
    /// $XDG_CONFIG_HOME/newsidx/config.toml) or the default.
    #[command(after_long_help = "\
Examples:
  newsidx config
  newsidx config --json

A config file (TOML; every key optional; relative paths from the file's folder):
  index = \"/data/news-index\"
  articles = \"/data/news\"
  taxonomy = \"mine.toml\"
  color = \"never\"          # auto, always or never
  limit = 20               # articles a search shows")]
    Config(OutputArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`search` prints newsidx-search(1),
    /// `eval search` newsidx-eval-search(1)); none prints newsidx(1).
    #[arg(value_name = "COMMAND", conflicts_with = "out")]
    pub command: Vec<String>,
    /// Write every page (newsidx.1 and one per command) into this folder,
    /// created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Index only these files and folders (inside the articles folder), without
    /// walking the rest of it; a named folder is walked as the articles folder
    /// is, and a path that does not exist is an error unless it was indexed
    /// (then its articles are removed).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Build a fresh index beside the old one and swap it in when complete.
    #[arg(long)]
    pub rebuild: bool,
    /// Re-read and hash every file, instead of trusting files whose size and
    /// modification time are unchanged (a same-size edit with its time put
    /// back is caught by a normal run only through its status-change time).
    #[arg(long)]
    pub verify: bool,
    /// Index symbolic links that lead outside the articles folder (by
    /// default they are skipped and reported).
    #[arg(long)]
    pub follow: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no per-file problems, only the summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Keep running: sync the whole folder, then every change to it as it
    /// happens (a file once it has been left alone for a moment), one commit
    /// and one summary line per sync, until Ctrl-C.
    #[arg(long, conflicts_with = "paths")]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases", -exclude, +require, OR, (groups), title:, state:,
    /// sector:, prefecture:, org:, lang:. A word starting with '-' goes after `--`
    /// (`search -- chip -Assam`) or in quotes (`search 'chip -Assam'`).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Rank articles holding any of the words by relevance alone, instead of
    /// those holding every word first.
    #[arg(long, conflicts_with = "strict")]
    pub any: bool,
    /// Only articles holding every word: no partial matches, so exit status 1
    /// means no article has them all.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Show every near-duplicate (reprinted wire copy) instead of one per group.
    #[arg(long)]
    pub all_duplicates: bool,
    /// Best passages shown per article.
    #[arg(long, default_value_t = 1, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub per_article: u32,
    /// Order of articles.
    #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
    pub sort: SortBy,
    /// Articles shown.
    #[arg(long, short = 'n', env = "NEWSIDX_LIMIT", default_value_t = 10, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub limit: u32,
    /// Articles skipped before the first shown.
    #[arg(
        long,
        default_value_t = 0,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub offset: u32,
    /// One JSON document with every hit.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// One JSON object per hit, one per line.
    #[arg(long)]
    pub jsonl: bool,
    /// Print only how many articles match (and the mode).
    #[arg(long)]
    pub count: bool,
    /// Accepted for old scripts: every match is always counted.
    #[arg(long, hide = true)]
    pub exact_totals: bool,
    /// Add counts of matching articles per state, sector and year.
    #[arg(long)]
    pub facets: bool,
    /// Run many queries from FILE ('-' for stdin): one per line, or JSON lines
    /// {"id","query","state","sector","prefecture","org","lang","since","until","undated","min_amount","max_amount","any","strict","limit","offset","per_article","sort","facets","all_duplicates"}.
    /// Output: one JSON line per query.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub queries: Option<PathBuf>,
    /// Threads answering a --queries batch (default: one per core). Answers
    /// keep the input order either way.
    #[arg(long, short = 'j', value_name = "N", requires = "queries")]
    pub threads: Option<std::num::NonZeroUsize>,
}

/// Order of articles (the library's [`Sort`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Best article first.
    Relevance,
    /// Newest article first; relevance breaks ties; undated last.
    Date,
    /// Largest investment first; relevance breaks ties; none last.
    Amount,
}

/// Width of a timeline bucket (the library's [`timeline::Period`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl From<Period> for timeline::Period {
    fn from(p: Period) -> timeline::Period {
        match p {
            Period::Month => timeline::Period::Month,
            Period::Quarter => timeline::Period::Quarter,
            Period::Year => timeline::Period::Year,
        }
    }
}

/// What a timeline bucket is split by (the library's [`timeline::Split`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    State,
    Sector,
}

impl From<Split> for timeline::Split {
    fn from(s: Split) -> timeline::Split {
        match s {
            Split::State => timeline::Split::State,
            Split::Sector => timeline::Split::Sector,
        }
    }
}

impl From<SortBy> for Sort {
    fn from(s: SortBy) -> Sort {
        match s {
            SortBy::Relevance => Sort::Relevance,
            SortBy::Date => Sort::Date,
            SortBy::Amount => Sort::Amount,
        }
    }
}

/// Metadata filters, shared by `search`, `timeline`, `list` and `stats`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only articles about this state (repeatable, values OR'ed; aliases accepted).
    #[arg(long, value_name = "STATE", add = ArgValueCandidates::new(complete::states))]
    pub state: Vec<String>,
    /// Only articles in this sector (repeatable, values OR'ed).
    #[arg(long, value_name = "SECTOR", add = ArgValueCandidates::new(complete::sectors))]
    pub sector: Vec<String>,
    /// Only articles naming this Japanese prefecture (repeatable, values OR'ed).
    #[arg(long, value_name = "PREFECTURE", add = ArgValueCandidates::new(complete::prefectures))]
    pub prefecture: Vec<String>,
    /// Articles dated on or after: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Articles dated on or before: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only undated articles.
    #[arg(long)]
    pub undated: bool,
    /// Only articles naming this organisation (repeatable, values OR'ed; aliases accepted).
    #[arg(long, value_name = "ORG", add = ArgValueCandidates::new(complete::orgs))]
    pub org: Vec<String>,
    /// Only articles reporting at least this much money: rupees, or 1000cr, 2bn, $1bn.
    #[arg(long, value_name = "AMOUNT")]
    pub min_amount: Option<String>,
    /// Only articles whose largest figure is at most this much.
    #[arg(long, value_name = "AMOUNT")]
    pub max_amount: Option<String>,
    /// Only articles in this language: ISO 639-1 code such as en, hi, mr,
    /// ta, te, bn, ja (repeatable, values OR'ed; ISO 639-3 codes and English
    /// names accepted).
    #[arg(long, value_name = "LANG")]
    pub lang: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Words to match, as for `search`; none counts every article.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Rank articles holding any of the words by relevance alone, instead of
    /// those holding every word first.
    #[arg(long, conflicts_with = "strict")]
    pub any: bool,
    /// Only articles holding every word: no partial matches, so exit status 1
    /// means no article has them all.
    #[arg(long)]
    pub strict: bool,
    /// Width of each bar's period.
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub by: Period,
    /// Split each period by state or sector.
    #[arg(long, value_enum)]
    pub split: Option<Split>,
    /// The numbers as one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// List groups of near-duplicate articles (the same story reprinted).
    #[arg(long)]
    pub duplicates: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's path (as in `list`) or id.
    #[arg(value_name = "PATH|ID", add = ArgValueCandidates::new(complete::indexed_paths))]
    pub article: String,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Re-read the article file and print why each state, sector,
    /// prefecture, date and amount was chosen (mentions, zones, points), and
    /// which lines cleaning dropped and by which rule (with --json, as one
    /// JSON object).
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write: quickwit (index-config.yaml and passages.ndjson),
    /// elasticsearch (mapping.json and bulk.ndjson; works for OpenSearch), or
    /// ndjson (one article, or with --passages one passage, per line).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportTarget,
    /// The folder to write (quickwit, elasticsearch; created if missing), or
    /// the file to write (ndjson; default: stdout).
    #[arg(long, short, value_name = "DIR|FILE")]
    pub out: Option<PathBuf>,
    /// With --to ndjson: one passage per line with its article's metadata,
    /// instead of one article per line.
    #[arg(long)]
    pub passages: bool,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    Quickwit,
    #[value(alias = "opensearch")]
    Elasticsearch,
    Ndjson,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Compare extracted metadata with a labels file (JSON lines).
    #[command(after_long_help = "\
Examples:
  newsidx eval extraction --articles ../shared/dev-articles --labels ../shared/dev-articles/labels.jsonl
  newsidx --taxonomy mine.toml --articles mine eval extraction --labels mine.jsonl --json")]
    Extraction {
        /// JSON lines: file, states, sectors, date, prefectures.
        #[arg(long, value_name = "FILE")]
        labels: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// nDCG@10 and MRR of `search` on a query set with graded relevance.
    #[command(after_long_help = "\
Examples:
  newsidx eval search --queries eval/queries.jsonl
  bash bench/eval_search.sh          the same set beside an SQLite FTS5 baseline")]
    Search {
        /// JSON lines: {"id","query","filters":{...},"relevant":{"file":grade}}.
        #[arg(long, value_name = "FILE")]
        queries: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn help_and_version_are_flags_everywhere_and_dashed_words_need_double_dash() {
        use clap::error::ErrorKind;
        for argv in [
            &["newsidx", "search", "-h"][..],
            &["newsidx", "search", "--help"],
            &["newsidx", "timeline", "-h", "--json"],
            &["newsidx", "eval", "search", "-h"],
        ] {
            let err = Cli::try_parse_from(argv).expect_err("help");
            assert_eq!(err.kind(), ErrorKind::DisplayHelp, "{argv:?}");
        }
        let err = Cli::try_parse_from(["newsidx", "search", "-V"]).expect_err("version");
        assert_eq!(err.kind(), ErrorKind::DisplayVersion);
        // A word with a leading hyphen is a flag unless it comes after `--`.
        assert!(Cli::try_parse_from(["newsidx", "search", "chip", "-Assam"]).is_err());
        let cli = Cli::try_parse_from(["newsidx", "search", "--json", "--", "chip", "-Assam"])
            .expect("parses");
        let Command::Search(args) = cli.command else {
            panic!("search")
        };
        assert_eq!(args.query, ["chip", "-Assam"]);
        assert!(args.json);
        // Global options before the command, a flag that looks like one after.
        let cli = Cli::try_parse_from(["newsidx", "--index", "search", "list"]).expect("parses");
        assert_eq!(cli.global.index, PathBuf::from("search"));
        assert!(matches!(cli.command, Command::List(_)));
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
