//! Incremental generation: with the files of an earlier run as `Previous`, only the modules
//! whose input changed are made again, and what is made is byte for byte what a full run makes.

use api_codegen::digest::{inspect, Header};
use api_codegen::{generate_files, GeneratedFile, Previous, SpecSource};

mod real_specs;
use real_specs::real_specs;

fn full(specs: &[SpecSource]) -> Vec<(String, String)> {
    generate_files(specs).expect("the specs generate").collect()
}

/// What the files of an earlier run tell the next one.
fn previous_of(files: &[(String, String)]) -> Previous {
    let mut previous = Previous::default();
    for (path, contents) in files {
        match inspect(contents) {
            Header::Intact { input } => previous.insert(path.clone(), input),
            other => panic!("{path}: a freshly generated file is {other:?}"),
        }
    }
    previous
}

fn incremental(specs: &[SpecSource], previous: Previous, threads: usize) -> Vec<GeneratedFile> {
    generate_files(specs)
        .expect("the specs generate")
        .with_threads(threads)
        .reusing(previous)
        .collect()
}

fn made(files: &[GeneratedFile]) -> Vec<&str> {
    files.iter().filter(|f| f.contents.is_some()).map(|f| f.path.as_str()).collect()
}

/// The incremental files, with those it kept taken from `earlier`, are exactly `expected`.
fn assert_same_output(
    files: &[GeneratedFile],
    earlier: &[(String, String)],
    expected: &[(String, String)],
) {
    assert_eq!(
        files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        expected.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        "the paths or their order differ"
    );
    for (file, (path, want)) in files.iter().zip(expected) {
        let got = match &file.contents {
            Some(contents) => contents,
            None => &earlier.iter().find(|(p, _)| p == path).expect("a kept file existed").1,
        };
        assert!(got == want, "{path} differs from a full run");
    }
}

fn edit(specs: &mut [SpecSource], name: &str, from: &str, to: &str) {
    let spec = specs.iter_mut().find(|s| s.name == name).expect("the spec exists");
    let edited = spec.text.replacen(from, to, 1);
    assert_ne!(edited, spec.text, "the edit applies");
    spec.text = edited;
}

#[test]
fn nothing_changed_makes_nothing() {
    let specs = real_specs();
    let earlier = full(&specs);
    for threads in [1, 3] {
        let files = incremental(&specs, previous_of(&earlier), threads);
        assert_eq!(made(&files), Vec::<&str>::new(), "{threads} threads");
        assert_same_output(&files, &earlier, &earlier);
    }
}

#[test]
fn one_changed_spec_makes_only_its_module_again_and_the_same_files_as_a_full_run() {
    let specs = real_specs();
    let earlier = full(&specs);
    let mut edited = specs.clone();
    edit(&mut edited, "specs/rooms.yaml", "description: The meeting room.", "description: A room.");
    let expected = full(&edited);
    let rooms: Vec<&str> = earlier
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| {
            *p == "src/rooms.rs" || p.ends_with("/rooms.rs") || p.starts_with("examples/rooms_")
        })
        .collect();
    assert!(rooms.len() >= 4, "{rooms:?}");
    for threads in [1, 2, 8] {
        let files = incremental(&edited, previous_of(&earlier), threads);
        assert_eq!(made(&files), rooms, "{threads} threads");
        assert_same_output(&files, &earlier, &expected);
    }
}

#[test]
fn a_missing_or_edited_file_makes_its_module_again() {
    let specs = real_specs();
    let earlier = full(&specs);
    let mut previous = Previous::default();
    for (path, contents) in &earlier {
        let contents = if path == "src/email.rs" {
            contents.replacen("pub struct", "pub(crate) struct", 1)
        } else {
            contents.clone()
        };
        // A file deleted since is not in `Previous`, nor is one edited since.
        if let (false, Header::Intact { input }) =
            (path == "tests/operations/chat.rs", inspect(&contents))
        {
            previous.insert(path.clone(), input);
        }
    }
    let files = incremental(&specs, previous, 2);
    let made = made(&files);
    assert!(made.contains(&"src/email.rs") && made.contains(&"tests/operations/chat.rs"));
    assert!(made.contains(&"src/chat.rs"), "the whole module is made again: {made:?}");
    assert!(!made.iter().any(|p| p.contains("rooms")), "{made:?}");
    assert_same_output(&files, &earlier, &earlier);
}

/// A module's input digest covers what it takes from the modules it uses: here whether a
/// shared definition is an enum or an object.
#[test]
fn a_shared_definition_that_changes_kind_makes_its_users_again() {
    let common = |kind: &str| {
        SpecSource {
        name: "specs/common.yaml".into(),
        text: format!(
            "module: common\ndescription: Shared.\ndefinitions:\n  Shared:\n    description: Shared.\n{kind}"
        ),
    }
    };
    let user = |module: &str, uses: bool| {
        SpecSource {
        name: format!("specs/{module}.yaml"),
        text: format!(
            "module: {module}\ndescription: A user.\nimports: [common]\ndefinitions:\n  {module}Thing:\n    description: A thing.\n    properties:\n      field: {{ type: {}, description: A field. }}\n",
            if uses { "Shared" } else { "string" }
        ),
    }
    };
    let object = "    properties:\n      a: { type: string, description: A. }\n";
    let enumeration = "    enum:\n      a: A.\n";
    let before = [common(object), user("alpha", true), user("beta", false)];
    let earlier = full(&before);
    // A description of the shared definition is the shared module's own business.
    let mut described = before.clone();
    edit(
        &mut described,
        "specs/common.yaml",
        "description: Shared.\n    ",
        "description: Common.\n    ",
    );
    let files = incremental(&described, previous_of(&earlier), 2);
    assert_eq!(made(&files), ["src/common.rs"]);
    assert_same_output(&files, &earlier, &full(&described));
    // Its kind decides how the users' code names and derives it.
    let after = [common(enumeration), user("alpha", true), user("beta", false)];
    let files = incremental(&after, previous_of(&earlier), 2);
    assert_eq!(made(&files), ["src/alpha.rs", "src/common.rs"]);
    assert_same_output(&files, &earlier, &full(&after));
}

/// The real specs with every example file they name handed in, the contents of `changed` (if
/// any) replaced by `text`.
fn with_examples<'a>(
    specs: &'a [SpecSource],
    changed: Option<(&str, &str)>,
) -> api_codegen::Files<'a> {
    let files = generate_files(specs).expect("the specs generate");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let paths = files.example_files();
    paths.into_iter().fold(files, |files, path| {
        let text = match changed {
            Some((name, text)) if name == path => text.to_owned(),
            _ => std::fs::read_to_string(root.join(&path)).expect("the example file is readable"),
        };
        files.with_example_file(path, text)
    })
}

/// The doc examples of a module are made from the example files its operations name: a
/// changed file makes that module again, and no other.
#[test]
fn a_changed_example_file_makes_only_the_modules_that_name_it() {
    let specs = real_specs();
    let earlier: Vec<(String, String)> = with_examples(&specs, None).collect();
    let file =
        "../shared/conformance/azure-rest-api-specs/email/2023-03-31/examples/SendEmail.json";
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file),
    )
    .expect("the example file is readable")
    .replace("An exciting offer especially for you!", "Another offer");
    let files: Vec<GeneratedFile> = with_examples(&specs, Some((file, &text)))
        .with_threads(2)
        .reusing(previous_of(&earlier))
        .collect();
    assert_eq!(made(&files), ["src/email.rs", "tests/operations/email.rs"]);
    let email = files.iter().find(|f| f.path == "src/email.rs").and_then(|f| f.contents.as_ref());
    assert!(
        email.expect("made again").contains("Another offer"),
        "the doc example uses the new file"
    );
}
