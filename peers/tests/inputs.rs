//! The checked-in OpenAPI 3 files are what `vs-progenitor` needs: self-contained, and accepted by
//! progenitor 0.15.1 (which rejects or panics on the unedited conversion; see openapi/README.md).

use std::path::Path;

fn load(name: &str) -> (String, openapiv3::OpenAPI) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let spec = serde_json::from_str(&text).unwrap();
    (text, spec)
}

#[test]
fn every_ref_is_local_and_every_edit_is_made() {
    for name in ["rooms.json", "chat.json"] {
        let (text, spec) = load(name);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut pending = vec![&value];
        let mut refs = 0;
        while let Some(node) = pending.pop() {
            match node {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                        assert!(r.starts_with("#/components/"), "{name}: {r}");
                        assert!(value.pointer(&r[1..]).is_some(), "{name}: {r} is missing");
                        refs += 1;
                    }
                    pending.extend(map.values());
                }
                serde_json::Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
        assert!(refs > 10, "{name}: {refs} refs");
        assert!(!text.contains("merge-patch"), "{name}");
        for (path, item) in spec.paths.iter() {
            for (method, operation) in item.as_item().unwrap().iter() {
                assert!(operation.responses.default.is_none(), "{name}: {method} {path}");
            }
        }
        assert!(spec.openapi.starts_with("3.0."), "{name}");
    }
}

#[test]
fn progenitor_generates_a_client_from_each_file() {
    for (name, operations) in [("rooms.json", 7), ("chat.json", 16)] {
        let (_, spec) = load(name);
        let mut generator =
            progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
        let tokens = generator.generate_tokens(&spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file: syn::File = syn::parse2(tokens).unwrap();
        let text = prettyplease::unparse(&file);
        assert_eq!(text.matches("pub async fn ").count(), operations, "{name}");
    }
}
