//! Taxonomy (stub).
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {}
impl Taxonomy {
    pub fn builtin() -> Taxonomy {
        Taxonomy {}
    }
    pub fn load(_path: &std::path::Path) -> crate::error::Result<Taxonomy> {
        Ok(Taxonomy {})
    }
    pub fn fingerprint(&self) -> u64 {
        0
    }
    pub fn resolve_state(&self, _input: &str) -> Option<&str> {
        None
    }
    pub fn resolve_sector(&self, _input: &str) -> Option<&str> {
        None
    }
    pub fn resolve_prefecture(&self, _input: &str) -> Option<&str> {
        None
    }
    pub fn states(&self) -> Vec<&str> {
        Vec::new()
    }
    pub fn sectors(&self) -> Vec<&str> {
        Vec::new()
    }
    pub fn prefectures(&self) -> Vec<&str> {
        Vec::new()
    }
    pub fn synonym_groups(&self) -> &[Vec<String>] {
        &[]
    }
}
