//! The workspace's own specs, as the generator reads them: shared by the tests that generate the
//! real crate.

use api_codegen::SpecSource;

/// Every `specs/*.yaml`, named as `cargo xtask codegen` names them, sorted.
pub fn real_specs() -> Vec<SpecSource> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<SpecSource> = std::fs::read_dir(&dir)
        .expect("specs/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| SpecSource {
            name: format!("specs/{}", p.file_name().unwrap_or_default().to_string_lossy()),
            text: std::fs::read_to_string(&p).expect("a readable spec"),
        })
        .collect();
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    specs
}
