//! The documented public surface of the generated crate and of the runtime, read from their
//! sources with `syn` (rustdoc's JSON output needs a nightly compiler): every item that is
//! `pub` and not `#[doc(hidden)]`, in modules users can reach, with the `pub` methods of the
//! types it holds.
//!
//! The crate root of the generated crate must hold exactly [`GENERATED_ROOT`]; items only
//! generated code uses must stay out of sight; and the whole surface of each crate must equal
//! its listing in `tests/surface/`, so that any change to what users see is made knowingly.
//! After an intended change, refresh the listings with
//! `UPDATE_SURFACE=1 cargo test -p azure-communication-integration --test public_surface`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::{ImplItem, Item, UseTree, Visibility};

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// What the generated crate root shows: service modules, clients with their options, the
/// credentials, errors, `Nullable` and the other runtime types models use, event parsing and
/// the `test-util` transport.
const GENERATED_ROOT: &[&str] = &[
    "mod callautomation",
    "mod chat",
    "mod common",
    "mod email",
    "mod events",
    "mod identity",
    "mod rooms",
    "use AbuseProtection",
    "use AccessKeyCredential",
    "use CallAutomationClient",
    "use CallAutomationClientOptions",
    "use CallLimits",
    "use ChatClient",
    "use ChatClientOptions",
    "use CloudEvent",
    "use CommunicationCloud",
    "use CommunicationIdentifier",
    "use CommunicationIdentityClient",
    "use CommunicationIdentityClientOptions",
    "use CommunicationTokenCredential",
    "use CommunicationTokenRefreshOptions",
    "use ConnectionString",
    "use Delivery",
    "use DeliveryError",
    "use EmailClient",
    "use EmailClientOptions",
    "use EventData",
    "use EventGridEvent",
    "use LimitError",
    "use Nullable",
    "use NumberOrString",
    "use OperationFailed",
    "use RoomsClient",
    "use RoomsClientOptions",
    "use ServiceError",
    "use SubscriptionValidation",
    "use UserTokenCredential",
    "use parse_cloud_events",
    "use parse_cloud_events_each",
    "use parse_event_grid",
    "use parse_event_grid_each",
    "use test_util",
];

/// Runtime items only generated code uses; none may be documented.
const RUNTIME_INTERNALS: &[&str] = &[
    "ClientCore",
    "PathPart",
    "Package",
    "Auth",
    "BearerTokenPolicy",
    "pager",
    "next_link_field",
    "sign_parts",
    "HmacAuthenticationPolicy",
    "RepeatabilityStyle",
    "is_repeatable",
    "rfc3339",
    "rfc1123",
    "Start",
    "Terminal",
    "poller",
    "status_monitor_url",
];

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr.parse_args::<syn::Ident>().is_ok_and(|ident| ident == "hidden")
    })
}

fn use_leaves(tree: &UseTree, out: &mut Vec<String>) {
    match tree {
        UseTree::Path(path) => use_leaves(&path.tree, out),
        UseTree::Name(name) => out.push(name.ident.to_string()),
        UseTree::Rename(rename) => out.push(rename.rename.to_string()),
        UseTree::Glob(_) => out.push("*".to_owned()),
        UseTree::Group(group) => group.items.iter().for_each(|tree| use_leaves(tree, out)),
    }
}

/// The file of module `name` declared in `file`.
fn module_file(file: &Path, name: &str) -> PathBuf {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let dir = if matches!(stem, "lib" | "mod") {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The visible items of the module in `file` (at `prefix`, e.g. `rooms::`), with its visible
/// submodules.
fn module_surface(file: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let parsed =
        syn::parse_file(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
    items_surface(&parsed.items, file, prefix, out);
}

fn items_surface(items: &[Item], file: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    let mut visible_types = BTreeSet::new();
    let add = |kind: &str, name: String, out: &mut BTreeSet<String>| {
        out.insert(format!("{kind} {prefix}{name}"));
    };
    for item in items {
        let (kind, vis, attrs, name) = match item {
            Item::Struct(i) => ("struct", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Enum(i) => ("enum", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Trait(i) => ("trait", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Fn(i) => ("fn", &i.vis, &i.attrs, i.sig.ident.to_string()),
            Item::Const(i) => ("const", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Static(i) => ("static", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Type(i) => ("type", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Union(i) => ("union", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Mod(i) => ("mod", &i.vis, &i.attrs, i.ident.to_string()),
            Item::Use(i) => {
                if is_public(&i.vis) && !is_hidden(&i.attrs) {
                    let mut leaves = Vec::new();
                    use_leaves(&i.tree, &mut leaves);
                    for leaf in leaves {
                        add("use", leaf, out);
                    }
                }
                continue;
            }
            _ => continue,
        };
        if !is_public(vis) || is_hidden(attrs) {
            continue;
        }
        if matches!(kind, "struct" | "enum" | "trait" | "union" | "type") {
            visible_types.insert(name.clone());
        }
        add(kind, name.clone(), out);
        if let Item::Mod(module) = item {
            let child_prefix = format!("{prefix}{name}::");
            match &module.content {
                Some((_, inner)) => items_surface(inner, file, &child_prefix, out),
                None => module_surface(&module_file(file, &name), &child_prefix, out),
            }
        }
    }
    for item in items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || is_hidden(&imp.attrs) {
            continue;
        }
        let Some(ty) = type_name(&imp.self_ty) else { continue };
        if !visible_types.contains(&ty) {
            continue;
        }
        for member in &imp.items {
            let (kind, name) = match member {
                ImplItem::Fn(f) if is_public(&f.vis) && !is_hidden(&f.attrs) => {
                    ("fn", f.sig.ident.to_string())
                }
                ImplItem::Const(c) if is_public(&c.vis) && !is_hidden(&c.attrs) => {
                    ("const", c.ident.to_string())
                }
                _ => continue,
            };
            out.insert(format!("{kind} {prefix}{ty}::{name}"));
        }
    }
}

fn crate_surface(lib_rs: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    module_surface(&Path::new(WORKSPACE).join(lib_rs), "", &mut out);
    out
}

/// Compares `surface` with the listing `tests/surface/<name>.txt`, or rewrites the listing
/// when `UPDATE_SURFACE` is set.
fn assert_listing(name: &str, surface: &BTreeSet<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("surface")
        .join(format!("{name}.txt"));
    let actual: String = surface.iter().map(|line| format!("{line}\n")).collect();
    if std::env::var_os("UPDATE_SURFACE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let expected: BTreeSet<&str> = expected.lines().collect();
    let actual: BTreeSet<&str> = actual.lines().collect();
    let added: Vec<_> = actual.difference(&expected).collect();
    let removed: Vec<_> = expected.difference(&actual).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "the public surface of {name} changed\n  now public: {added:#?}\n  no longer public: {removed:#?}\n\
         if intended, run `UPDATE_SURFACE=1 cargo test -p azure-communication-integration --test public_surface`"
    );
}

#[test]
fn the_generated_crate_root_holds_what_users_touch() {
    let mut out = BTreeSet::new();
    let lib = Path::new(WORKSPACE).join("generated/src/lib.rs");
    let parsed = syn::parse_file(&std::fs::read_to_string(&lib).unwrap()).unwrap();
    // The root only, without descending into the modules.
    let root: Vec<Item> = parsed
        .items
        .into_iter()
        .map(|item| match item {
            Item::Mod(mut module) => {
                module.content = Some((Default::default(), Vec::new()));
                Item::Mod(module)
            }
            other => other,
        })
        .collect();
    items_surface(&root, &lib, "", &mut out);
    let actual: Vec<&str> = out.iter().map(String::as_str).collect();
    let mut expected = GENERATED_ROOT.to_vec();
    expected.sort_unstable();
    assert_eq!(actual, expected);
}

#[test]
fn generated_modules_show_no_plumbing() {
    let surface = crate_surface("generated/src/lib.rs");
    let plumbing: Vec<_> = surface
        .iter()
        .filter(|line| {
            line.ends_with("Format")
                || line.ends_with("Wire")
                || line.contains("sealed")
                || line.contains("runtime")
        })
        .collect();
    assert!(plumbing.is_empty(), "{plumbing:#?}");
}

#[test]
fn runtime_internals_are_hidden_from_its_docs() {
    let surface = crate_surface("runtime/src/lib.rs");
    let leaked: Vec<_> = surface
        .iter()
        .filter(|line| {
            let path = line.split_once(' ').map_or(line.as_str(), |(_, path)| path);
            path.split("::").any(|segment| RUNTIME_INTERNALS.contains(&segment))
        })
        .collect();
    assert!(leaked.is_empty(), "{leaked:#?}");
    // What users do need stays documented.
    for needed in [
        "use ServiceError",
        "use Nullable",
        "fn client::plain_http_for_tests",
        "struct instrumentation::ApiName",
        "struct test_util::ScriptedTransport",
    ] {
        assert!(surface.contains(needed), "{needed} is missing from the runtime's docs");
    }
}

#[test]
fn the_generated_surface_is_the_listed_one() {
    assert_listing("azure_communication", &crate_surface("generated/src/lib.rs"));
}

#[test]
fn the_runtime_surface_is_the_listed_one() {
    assert_listing("azure_communication_runtime", &crate_surface("runtime/src/lib.rs"));
}
