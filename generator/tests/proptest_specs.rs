//! The generator never panics, whatever the spec: random specs built from the spec format's
//! vocabulary (mostly well-formed, with wrong types, missing keys and junk mixed in), random
//! line-level mutations of the real specs, and arbitrary text. Every case must end in `Ok` or in
//! `Err` with diagnostics — never a panic, never an error without a message.
//!
//! The regressions found by fuzzing (`fuzz/`, see ROBUSTNESS.md) are kept at the end, each
//! asserting the correct behaviour.

use api_codegen::{generate, SpecSource};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

const SPEC_NAMES: [&str; 5] = ["common", "rooms", "chat", "callautomation", "events"];

fn real_spec(name: &str) -> SpecSource {
    let path = format!("{}/../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SpecSource { name: format!("specs/{name}.yaml"), text }
}

/// Runs the generator; it may fail, with messages, but must not panic.
/// The seed of every property below. CI runs the same cases every time, so a failure is the
/// change's and not the dice's; set `PROPTEST_RNG_SEED` to search elsewhere (the fuzz targets do
/// the open-ended search). Every failure found becomes a named case in `regressions` below.
const SEED: u64 = 0x5eed_0010;

fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    let rng_seed = match default.rng_seed {
        proptest::test_runner::RngSeed::Random => proptest::test_runner::RngSeed::Fixed(SEED),
        chosen => chosen,
    };
    ProptestConfig { cases, rng_seed, ..default }
}

fn generate_checked(sources: &[SpecSource]) -> Result<(), TestCaseError> {
    let outcome = std::panic::catch_unwind(|| generate(sources));
    match outcome {
        Ok(Ok(files)) => {
            prop_assert!(!files.is_empty(), "success with no files");
            Ok(())
        }
        Ok(Err(errors)) => {
            prop_assert!(!errors.is_empty(), "an Err without diagnostics");
            for error in &errors {
                prop_assert!(!error.to_string().trim().is_empty(), "an empty diagnostic");
            }
            Ok(())
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            let texts: Vec<String> =
                sources.iter().map(|s| format!("--- {}\n{}", s.name, s.text)).collect();
            Err(TestCaseError::fail(format!(
                "the generator panicked: {message}\n{}",
                texts.join("\n")
            )))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Specs built from the vocabulary
// ---------------------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "module",
    "description",
    "imports",
    "clients",
    "operations",
    "definitions",
    "events",
    "api-version",
    "auth",
    "parent",
    "scope",
    "client",
    "method",
    "path",
    "parameters",
    "repeatability",
    "body",
    "paging",
    "items",
    "next-link",
    "responses",
    "headers",
    "error",
    "examples",
    "request",
    "response",
    "status",
    "in",
    "type",
    "required",
    "properties",
    "union",
    "discriminator",
    "variants",
    "property",
    "extends",
    "aliases",
    "enum",
    "closed",
    "types",
    "content-type",
    "parameter",
    "value",
    "nextLink",
    "id",
    "self",
    "Self",
    "r#type",
    "crate",
    "1abc",
    "_",
    "a-b",
    "é",
    "",
    " ",
    "\u{202e}",
    "\\",
    "'",
    "\"",
    "{",
    "}",
    "*",
    "&",
    "!",
    "%",
];

const DEFINITION_NAMES: &[&str] = &[
    "Thing",
    "Other",
    "CommunicationIdentifierModel",
    "CommunicationErrorResponse",
    "Error",
    "Kind",
    "Payload",
    "Item",
    "Items",
    "Self",
    "Option",
    "String",
    "Result",
    "Vec",
    "thing",
    "Thing2",
    "ThingKind",
    "Box",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        2 => proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,10}",
        1 => "\\PC{0,8}",
    ]
}

fn type_expr() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        proptest::sample::select(
            &[
                "string",
                "boolean",
                "int32",
                "int64",
                "float64",
                "date-time",
                "date-time-rfc1123",
                "uuid",
                "url",
                "number-or-string",
                "json",
                "list<",
                "map<string>",
                "<>",
                "list<>",
                "nullable<>",
                "map<int32, string>",
                "strin",
                "",
            ][..]
        )
        .prop_map(str::to_owned),
        proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned),
    ];
    base.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| format!("list<{t}>")),
            inner.clone().prop_map(|t| format!("map<string, {t}>")),
            inner.clone().prop_map(|t| format!("nullable<{t}>")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("map<{a}, {b}>")),
        ]
    })
}

/// Anything that can stand where a value is expected, wrong types included.
fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|n| Value::Number(n.into())),
        word().prop_map(Value::String),
        type_expr().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Sequence),
            prop::collection::vec((word(), inner), 0..3).prop_map(|pairs| {
                Value::Mapping(pairs.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
            }),
        ]
    })
}

/// `value`, or (rarely: most specs get through parsing to lowering, checking and emission)
/// junk in its place.
fn or_junk(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![79 => value, 1 => junk()]
}

/// One of `valid`, or rarely one of `invalid`.
fn pick(valid: &'static [&'static str], invalid: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        19 => proptest::sample::select(valid).prop_map(str::to_owned),
        1 => proptest::sample::select(invalid).prop_map(str::to_owned),
    ]
    .boxed()
}

fn text(s: impl Strategy<Value = String>) -> impl Strategy<Value = Value> {
    or_junk(s.prop_map(Value::String))
}

/// A mapping from optional entries: each present with its strategy's probability, plus
/// sometimes an unknown key.
fn mapping(entries: Vec<BoxedStrategy<Option<(String, Value)>>>) -> BoxedStrategy<Value> {
    (entries, prop::option::weighted(0.02, (word(), junk())))
        .prop_map(|(entries, extra)| {
            let mut map = Mapping::new();
            for (key, value) in entries.into_iter().flatten().chain(extra) {
                map.insert(Value::String(key), value);
            }
            Value::Mapping(map)
        })
        .boxed()
}

fn entry(
    key: &'static str,
    value: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Option<(String, Value)>> {
    prop::option::weighted(0.85, value.prop_map(move |v| (key.to_owned(), v))).boxed()
}

fn always(
    key: &'static str,
    value: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Option<(String, Value)>> {
    value.prop_map(move |v| Some((key.to_owned(), v))).boxed()
}

fn description() -> impl Strategy<Value = Value> {
    text(prop_oneof![Just("Something.".to_owned()), "\\PC{0,20}"])
}

fn named<S: Strategy<Value = Value>>(
    names: impl Strategy<Value = String>,
    value: S,
    size: std::ops::Range<usize>,
) -> impl Strategy<Value = Value> {
    prop::collection::vec((names, value), size).prop_map(|pairs| {
        Value::Mapping(pairs.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
    })
}

fn property() -> BoxedStrategy<Value> {
    mapping(vec![
        always("type", text(type_expr())),
        entry("required", or_junk(any::<bool>().prop_map(Value::Bool))),
        always("description", description()),
        prop::option::weighted(
            0.1,
            prop::collection::vec(word().prop_map(Value::String), 0..3)
                .prop_map(|a| ("aliases".to_owned(), Value::Sequence(a))),
        )
        .boxed(),
    ])
}

fn property_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &["id", "name", "type", "kind", "value", "nextLink", "self", "a-b", "A", "a", "_", ""]
                [..]
        )
        .prop_map(str::to_owned),
        "[a-z][a-zA-Z0-9]{0,8}",
    ]
}

fn definition() -> BoxedStrategy<Value> {
    let object = mapping(vec![
        always("description", description()),
        entry("properties", or_junk(named(property_name(), property(), 0..4))),
        prop::option::weighted(
            0.2,
            text(proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned)),
        )
        .prop_map(|v| v.map(|v| ("extends".to_owned(), v)))
        .boxed(),
        prop::option::weighted(
            0.2,
            mapping(vec![
                always("discriminator", text(property_name())),
                always(
                    "variants",
                    or_junk(named(
                        word(),
                        mapping(vec![
                            always("property", text(property_name())),
                            always("type", text(type_expr())),
                            always("description", description()),
                        ]),
                        0..3,
                    )),
                ),
            ]),
        )
        .prop_map(|v| v.map(|v| ("union".to_owned(), v)))
        .boxed(),
        prop::option::weighted(0.05, prop::collection::vec(junk(), 0..2))
            .prop_map(|v| v.map(|v| ("examples".to_owned(), Value::Sequence(v))))
            .boxed(),
    ]);
    let enumeration = mapping(vec![
        always("description", description()),
        always("enum", or_junk(named(word(), description(), 0..4))),
        entry("closed", or_junk(any::<bool>().prop_map(Value::Bool))),
    ]);
    prop_oneof![3 => object, 1 => enumeration].boxed()
}

fn path_template() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z]{1,6}".prop_map(|s| s),
            Just("{id}".to_owned()),
            Just("{roomId}".to_owned()),
            Just("{".to_owned()),
            Just("{}".to_owned()),
            Just(":add".to_owned()),
        ],
        0..4,
    )
    .prop_map(|parts| format!("/{}", parts.join("/")))
}

fn operation() -> BoxedStrategy<Value> {
    let parameter = mapping(vec![
        always("in", text(pick(&["path", "query", "header"], &["body", ""]))),
        always("type", text(type_expr())),
        entry("required", or_junk(any::<bool>().prop_map(Value::Bool))),
        always("description", description()),
    ]);
    let response = mapping(vec![
        always("description", description()),
        entry("body", text(type_expr())),
        prop::option::weighted(
            0.2,
            named(
                "[A-Za-z-]{1,12}",
                mapping(vec![
                    always("type", text(type_expr())),
                    always("description", description()),
                ]),
                0..2,
            ),
        )
        .prop_map(|v| v.map(|v| ("headers".to_owned(), v)))
        .boxed(),
    ]);
    let status = prop_oneof![
        8 => proptest::sample::select(&[200u64, 201, 202, 204][..]).prop_map(Value::from),
        1 => (0u64..1000).prop_map(Value::from),
        1 => pick(&["200"], &["abc", ""]).prop_map(Value::String),
    ];
    mapping(vec![
        entry(
            "client",
            text(proptest::sample::select(&["Client", "Other", ""][..]).prop_map(str::to_owned)),
        ),
        always("description", description()),
        always(
            "method",
            text(pick(&["GET", "PUT", "POST", "PATCH", "DELETE"], &["HEAD", "get", ""])),
        ),
        always("path", text(path_template())),
        entry(
            "parameters",
            or_junk(named(
                prop_oneof![Just("id".to_owned()), Just("roomId".to_owned()), word()],
                parameter,
                0..3,
            )),
        ),
        entry("repeatability", text(pick(&["none", "standard", "request-id-only"], &["always"]))),
        entry(
            "body",
            prop_oneof![
                text(type_expr()),
                mapping(vec![
                    always("type", text(type_expr())),
                    entry("description", description()),
                    entry(
                        "content-type",
                        text(
                            proptest::sample::select(
                                &["application/json", "application/merge-patch+json", "text/plain"]
                                    [..]
                            )
                            .prop_map(str::to_owned)
                        )
                    ),
                    entry("parameter", text(word())),
                ]),
            ],
        ),
        prop::option::weighted(
            0.15,
            mapping(vec![
                entry("items", text(property_name())),
                entry("next-link", text(property_name())),
            ]),
        )
        .prop_map(|v| v.map(|v| ("paging".to_owned(), v)))
        .boxed(),
        always(
            "responses",
            or_junk(
                prop::collection::vec((status, response), 0..3)
                    .prop_map(|pairs| Value::Mapping(pairs.into_iter().collect())),
            ),
        ),
        always("error", text(proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned))),
        prop::option::weighted(0.05, junk())
            .prop_map(|v| v.map(|v| ("examples".to_owned(), v)))
            .boxed(),
    ])
}

fn client() -> BoxedStrategy<Value> {
    mapping(vec![
        always("description", description()),
        entry("api-version", text(prop_oneof![Just("2023-10-30-preview".to_owned()), word()])),
        entry(
            "auth",
            or_junk(
                prop::collection::vec(
                    pick(&["access-key", "user-token", "entra-id"], &["password"])
                        .prop_map(Value::String),
                    0..4,
                )
                .prop_map(Value::Sequence),
            ),
        ),
        prop::option::weighted(
            0.2,
            text(
                proptest::sample::select(&["Client", "Other", "Missing"][..])
                    .prop_map(str::to_owned),
            ),
        )
        .prop_map(|v| v.map(|v| ("parent".to_owned(), v)))
        .boxed(),
        prop::option::weighted(
            0.2,
            named(
                prop_oneof![Just("id".to_owned()), word()],
                mapping(vec![
                    always("type", text(type_expr())),
                    always("description", description()),
                ]),
                0..2,
            ),
        )
        .prop_map(|v| v.map(|v| ("scope".to_owned(), v)))
        .boxed(),
    ])
}

fn spec() -> BoxedStrategy<Value> {
    let module = pick(&["rooms", "common", "chat", "thing"], &["Bad Name", "self", ""]);
    mapping(vec![
        always("module", text(module)),
        always("description", description()),
        entry(
            "imports",
            or_junk(
                prop::collection::vec(
                    pick(&["common"], &["rooms", "missing"]).prop_map(Value::String),
                    0..3,
                )
                .prop_map(Value::Sequence),
            ),
        ),
        entry(
            "clients",
            or_junk(named(
                proptest::sample::select(&["Client", "Other", "client"][..])
                    .prop_map(str::to_owned),
                client(),
                0..3,
            )),
        ),
        entry(
            "operations",
            or_junk(named(
                prop_oneof![Just("getThing".to_owned()), Just("createThing".to_owned()), word()],
                operation(),
                0..4,
            )),
        ),
        entry(
            "definitions",
            or_junk(named(
                proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned),
                definition(),
                0..5,
            )),
        ),
        prop::option::weighted(
            0.2,
            named(
                Just("ThingEvent".to_owned()),
                mapping(vec![
                    always("description", description()),
                    always(
                        "types",
                        or_junk(named(
                            "[A-Za-z.]{1,20}",
                            text(
                                proptest::sample::select(DEFINITION_NAMES).prop_map(str::to_owned),
                            ),
                            0..3,
                        )),
                    ),
                    entry("examples", junk()),
                ]),
                1..2,
            ),
        )
        .prop_map(|v| v.map(|v| ("events".to_owned(), v)))
        .boxed(),
    ])
}

// ---------------------------------------------------------------------------------------------
// Mutations of the real specs
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Swap(usize, usize),
    ReplaceWord(usize, usize, String),
    ReplaceValue(usize, String),
    Indent(usize, i8),
    Insert(usize, String),
    Truncate(usize),
    FlipCase(usize, usize),
}

/// The identifier-like words of the real specs: definition, property, operation and client
/// names, keys and values.
fn spec_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = std::collections::BTreeSet::new();
        for name in SPEC_NAMES {
            let text = real_spec(name).text;
            for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
                if word.len() > 1 {
                    words.insert(word.to_owned());
                }
            }
        }
        words.into_iter().collect()
    })
}

fn spec_word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..spec_words().len()).prop_map(|i| spec_words()[i].clone()),
        1 => type_expr(),
        1 => word(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let value = prop_oneof![
        3 => spec_word(),
        2 => type_expr(),
        1 => proptest::sample::select(&["[]", "{}", "~", "true", "0", "''"][..]).prop_map(str::to_owned),
    ];
    prop_oneof![
        2 => (any::<usize>(), 1usize..6).prop_map(|(a, n)| Edit::Delete(a, n)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Duplicate(a, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        6 => (any::<usize>(), any::<usize>(), spec_word()).prop_map(|(a, w, s)| Edit::ReplaceWord(a, w, s)),
        4 => (any::<usize>(), value).prop_map(|(a, v)| Edit::ReplaceValue(a, v)),
        1 => (any::<usize>(), -8i8..8).prop_map(|(a, d)| Edit::Indent(a, d)),
        1 => (any::<usize>(), "\\PC{0,30}").prop_map(|(a, s)| Edit::Insert(a, s)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, w)| Edit::FlipCase(a, w)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for edit in edits {
        let len = lines.len().max(1);
        match edit {
            Edit::Delete(at, n) if !lines.is_empty() => {
                let start = at % lines.len();
                let end = (start + n).min(lines.len());
                lines.drain(start..end);
            }
            Edit::Duplicate(from, to) if !lines.is_empty() => {
                let line = lines[from % lines.len()].clone();
                lines.insert(to % (lines.len() + 1), line);
            }
            Edit::Swap(a, b) if !lines.is_empty() => {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            Edit::ReplaceWord(at, which, with) if !lines.is_empty() => {
                let n = lines.len();
                let line = &mut lines[at % n];
                let spans: Vec<(usize, usize)> = word_spans(line);
                if !spans.is_empty() {
                    let (s, e) = spans[which % spans.len()];
                    line.replace_range(s..e, with);
                }
            }
            Edit::ReplaceValue(at, with) if !lines.is_empty() => {
                let n = lines.len();
                let line = &mut lines[at % n];
                if let Some(colon) = line.find(':') {
                    line.truncate(colon + 1);
                    line.push(' ');
                    line.push_str(with);
                }
            }
            Edit::Indent(at, delta) if !lines.is_empty() => {
                let n = lines.len();
                let line = &mut lines[at % n];
                if *delta >= 0 {
                    line.insert_str(0, &" ".repeat(*delta as usize));
                } else {
                    let spaces = line.len() - line.trim_start_matches(' ').len();
                    line.drain(..spaces.min(delta.unsigned_abs() as usize));
                }
            }
            Edit::Insert(at, text) => {
                lines.insert(at % (len + 1).min(lines.len() + 1), text.clone())
            }
            Edit::FlipCase(at, which) if !lines.is_empty() => {
                let n = lines.len();
                let line = &mut lines[at % n];
                let spans = word_spans(line);
                if !spans.is_empty() {
                    let (start, _) = spans[which % spans.len()];
                    let first = line[start..].chars().next().unwrap_or('x');
                    let flipped: String = if first.is_uppercase() {
                        first.to_lowercase().collect()
                    } else {
                        first.to_uppercase().collect()
                    };
                    line.replace_range(start..start + first.len_utf8(), &flipped);
                }
            }
            Edit::Truncate(at) => {
                let mut joined = lines.join("\n");
                if !joined.is_empty() {
                    let mut cut = at % joined.len();
                    while !joined.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    joined.truncate(cut);
                }
                lines = joined.lines().map(str::to_owned).collect();
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

fn word_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        let part = c.is_ascii_alphanumeric() || c == '_' || c == '-';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    spans
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(192))]

    /// Specs built from the vocabulary, alone or beside the real common.yaml.
    #[test]
    fn vocabulary_specs_never_panic(spec in spec(), with_common in any::<bool>()) {
        let text = serde_yaml::to_string(&spec).expect("a YAML value serializes");
        let mut sources = vec![SpecSource { name: "specs/thing.yaml".to_owned(), text }];
        if with_common {
            sources.insert(0, real_spec("common"));
        }
        generate_checked(&sources)?;
    }

    /// Arbitrary text, as one spec.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        generate_checked(&[SpecSource { name: "specs/fuzz.yaml".to_owned(), text }])?;
    }
}

proptest! {
    // Each case that survives the edits goes through emission (~0.1 s in a debug build).
    #![proptest_config(config(64))]

    /// One real spec, mutated line by line, beside the real common.yaml.
    #[test]
    fn mutated_real_specs_never_panic(
        which in 0..SPEC_NAMES.len(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let mut target = real_spec(SPEC_NAMES[which]);
        target.text = apply(&target.text, &edits);
        let mut sources = vec![target];
        if which != 0 {
            sources.insert(0, real_spec("common"));
        }
        generate_checked(&sources)?;
    }
}

#[test]
fn the_real_specs_generate() {
    let sources: Vec<SpecSource> = SPEC_NAMES.iter().map(|n| real_spec(n)).collect();
    if let Err(errors) = generate(&sources) {
        panic!("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by fuzzing (fuzz/regressions/)
// ---------------------------------------------------------------------------------------------

/// Runs `case` in a child process (this test binary, filtered to `test_name`), so that a stack
/// overflow, which aborts the whole process, fails this test alone and says what happened.
fn in_child_process(test_name: &str, case: fn()) {
    const CHILD: &str = "API_CODEGEN_REGRESSION_CHILD";
    if std::env::var_os(CHILD).is_some() {
        case();
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{test_name}: the generator crashed ({}):\n{}",
        output.status,
        stderr
            .lines()
            .filter(|l| !l.starts_with("running") && !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn nested_type_spec(open: &str, depth: usize) -> SpecSource {
    let text = format!(
        "module: nesting\ndescription: Nesting.\ndefinitions:\n  X:\n    description: An object.\n    properties:\n      a: {{ type: '{}string{}', description: Nested. }}\n",
        open.repeat(depth),
        ">".repeat(depth)
    );
    SpecSource { name: "specs/nesting.yaml".to_owned(), text }
}

/// fuzz/regressions/type-nesting-stack-overflow.yaml: a type expression nested thousands of
/// levels deep (`list<list<…string…>>`) overflowed the stack (an abort, not even a panic) in
/// `emit::format_file`, where `syn::parse2::<syn::File>` recurses through the emitted
/// `Vec<Vec<…>>` (14 frames a level: 60 levels are enough in a debug test thread, ~2000 on an
/// 8 MiB main thread in release). The generator must refuse such a type with a diagnostic.
#[test]
fn regression_deeply_nested_types_are_an_error_not_a_stack_overflow() {
    in_child_process("regression_deeply_nested_types_are_an_error_not_a_stack_overflow", || {
        let stored = SpecSource {
            name: "specs/nesting.yaml".to_owned(),
            text: include_str!("../../fuzz/regressions/type-nesting-stack-overflow.yaml")
                .to_owned(),
        };
        let cases = [
            stored,
            nested_type_spec("list<", 60),
            nested_type_spec("nullable<", 60),
            nested_type_spec("map<string, ", 60),
            nested_type_spec("list<", 10_000),
            nested_type_spec("map<string, ", 10_000),
        ];
        for source in cases {
            let errors = generate(std::slice::from_ref(&source))
                .err()
                .unwrap_or_else(|| panic!("a type nested this deep must be refused"));
            assert!(
                errors.iter().any(|e| e.path.starts_with("definitions.X.properties.a")),
                "the diagnostic points at the type: {errors:?}"
            );
        }
    });
}

/// Hand-written adversarial specs (sizes scaled for a debug build): each must end in `Ok` or
/// `Err`, without a panic or an abort (child process, as above). Deep block nesting has its own
/// regression test below.
#[test]
fn adversarial_specs_never_crash() {
    in_child_process("adversarial_specs_never_crash", || {
        let definitions = |count: usize, each: &dyn Fn(usize) -> String| {
            let mut text = String::from("module: x\ndescription: Adversarial.\ndefinitions:\n");
            for i in 0..count {
                text += &each(i);
            }
            text
        };
        let mut laughs = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (p, c) in ('a'..='i').zip('b'..='j') {
            laughs +=
                &format!("{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }
        let cases: Vec<(&str, String)> = vec![
            ("deep flow sequence", "[".repeat(100_000)),
            ("deep flow mapping", "{a: ".repeat(100_000)),
            ("billion laughs", laughs.clone()),
            ("billion laughs in an example", format!(
                "{laughs}module: x\ndescription: d\ndefinitions:\n  X:\n    description: d\n    properties: {{}}\n    examples: [*j]\n"
            )),
            ("deep example JSON", format!(
                "module: x\ndescription: d\ndefinitions:\n  X:\n    description: d\n    properties: {{ a: {{ type: json, description: d }} }}\n    examples:\n      - {{ \"a\": {}1{} }}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            )),
            ("long line", format!("module: {}\ndescription: y\n", "x".repeat(1 << 20))),
            ("many definitions", definitions(500, &|i| format!("  D{i}:\n    description: d\n    properties: {{ p: {{ type: string, description: d }} }}\n"))),
            ("reference cycle", definitions(300, &|i| format!(
                "  D{i}:\n    description: d\n    properties: {{ p: {{ type: D{}, description: d, required: true }} }}\n",
                (i + 1) % 300
            ))),
            // Bounded by the depth limit: before it, 3,000 levels took 14 s.
            ("extends chain", definitions(3_000, &|i| format!(
                "  D{i}:\n    description: d\n{}    properties: {{ p{i}: {{ type: string, description: d }} }}\n",
                if i + 1 < 3_000 { format!("    extends: D{}\n", i + 1) } else { String::new() }
            ))),
            ("extends cycle", definitions(100, &|i| format!(
                "  D{i}:\n    description: d\n    extends: D{}\n    properties: {{}}\n",
                (i + 1) % 100
            ))),
            ("byte-order mark", "\u{feff}module: x\ndescription: y\n".to_owned()),
            ("NUL", "module: x\0\ndescription: y\n".to_owned()),
            ("CR only", "module: x\rdescription: y\r".to_owned()),
        ];
        for (what, text) in cases {
            // Shown by the parent if this process dies.
            eprintln!("case: {what}");
            let source = SpecSource { name: "specs/x.yaml".to_owned(), text };
            if let Err(errors) = generate(std::slice::from_ref(&source)) {
                assert!(!errors.is_empty(), "{what}: an Err without diagnostics");
            }
        }
    });
}

fn block_mappings(depth: usize) -> String {
    (0..depth).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect()
}

/// fuzz/regressions/block-nesting-stack-overflow.yaml: deeply nested YAML *block* collections
/// overflow the stack (an abort) in `spec::locate::Locations::index`, where
/// `yaml_rust2::parser::Parser::load` recurses through `load_node` / `load_sequence` /
/// `load_mapping` once per level with no limit (flow collections are limited; block ones are
/// not). `"- ".repeat(1_000)` (2 KB) aborts a debug test thread; `"- ".repeat(100_000)` (200 KB)
/// aborts `cargo xtask codegen` in release. The generator must refuse them with a diagnostic.
#[test]
fn regression_deep_block_nesting_is_an_error_not_a_stack_overflow() {
    in_child_process("regression_deep_block_nesting_is_an_error_not_a_stack_overflow", || {
        let cases = [
            (
                "stored",
                include_str!("../../fuzz/regressions/block-nesting-stack-overflow.yaml").to_owned(),
            ),
            ("compact sequences", "- ".repeat(100_000)),
            ("indented sequences", (0..1_000).map(|i| format!("{}- ", " ".repeat(2 * i))).collect()),
            ("mappings", block_mappings(1_000)),
            (
                "inside an example",
                format!(
                    "module: x\ndescription: d\ndefinitions:\n  X:\n    description: d\n    properties: {{ a: {{ type: json, description: d }} }}\n    examples:\n      - {}1\n",
                    "- ".repeat(100_000)
                ),
            ),
        ];
        for (what, text) in cases {
            eprintln!("case: {what}");
            let source = SpecSource { name: "specs/x.yaml".to_owned(), text };
            let errors = generate(std::slice::from_ref(&source))
                .err()
                .unwrap_or_else(|| panic!("{what}: nesting this deep must be refused"));
            assert!(!errors.is_empty(), "{what}");
        }
    });
}

/// fuzz/regressions/rust-name-collision-index-panic.yaml, found by
/// `vocabulary_specs_never_panic`: two definitions whose Rust names collide (`Thing` and
/// `thing`) panic with "index out of bounds: the len is 1 but the index is 1" at
/// `lower::mark_boxed_fields` (src/lower.rs:1395): the index of structs is keyed by
/// `(module, Rust name)`, so the two structs share one slot, and the later loop indexes
/// `component` by the struct count. The collision must be reported as a diagnostic.
#[test]
fn regression_colliding_rust_names_are_an_error_not_a_panic() {
    let stored = SpecSource {
        name: "specs/rooms.yaml".to_owned(),
        text: include_str!("../../fuzz/regressions/rust-name-collision-index-panic.yaml")
            .to_owned(),
    };
    let with_fields = SpecSource {
        name: "specs/rooms.yaml".to_owned(),
        text: "module: rooms\ndescription: d\ndefinitions:\n  Room:\n    description: d\n    properties: { next: { type: room, description: d } }\n  room:\n    description: d\n    properties: { next: { type: Room, description: d } }\n".to_owned(),
    };
    for source in [stored, with_fields] {
        let outcome = std::panic::catch_unwind(|| generate(std::slice::from_ref(&source)));
        let errors = match outcome {
            Ok(Err(errors)) => errors,
            Ok(Ok(_)) => panic!("colliding Rust names must be refused"),
            Err(_) => panic!("the generator panicked on colliding Rust names:\n{}", source.text),
        };
        assert!(!errors.is_empty());
    }
}

/// Cases the properties above found, kept as named tests.
mod regressions {
    use api_codegen::{generate, SpecSource};

    fn errors_of(text: &str) -> Vec<String> {
        let sources = [SpecSource { name: "specs/thing.yaml".to_owned(), text: text.to_owned() }];
        match generate(&sources) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    /// `vocabulary_specs_never_panic` once found the enum value `a¹`: its variant `A¹` passed
    /// the alphanumeric check but is no Rust identifier, and `quote` panicked.
    #[test]
    fn an_enum_value_with_a_superscript_digit_is_a_located_error() {
        let errors = errors_of(
            "module: thing\ndescription: D.\ndefinitions:\n  Shade:\n    description: D.\n    enum:\n      a¹: D.\n",
        );
        assert_eq!(
            errors,
            ["specs/thing.yaml:7:7: definitions.Shade.enum.a¹: 'a¹' cannot be turned into a Rust identifier"]
        );
    }

    /// Two definitions whose names differ only in case (`Thing`, `thing`).
    #[test]
    fn definitions_that_differ_only_in_case_are_one_error() {
        let errors = errors_of(
            "module: rooms\ndescription: D.\ndefinitions:\n  Thing:\n    description: D.\n    properties: {}\n  thing:\n    description: D.\n    properties: {}\n",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("both become 'Thing' in module 'rooms'"), "{errors:?}");
    }
}
