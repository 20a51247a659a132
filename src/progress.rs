//! Progress of long runs (indexing, export): the library reports, the binary draws.

/// Reports progress; the binary draws a bar, tests pass [`NoProgress`].
pub trait Progress: Sync {
    fn start(&self, files: u64);
    fn advance(&self, files: u64);
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
