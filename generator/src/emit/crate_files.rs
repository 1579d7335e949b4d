//! The generated crate's files that are not Rust and depend on the set of specs: its manifest
//! (one cargo feature per gated module, all on by default) and its README, which is also the
//! crate's documentation. Both are askama templates under `generator/templates/`.

use askama::Template;

use crate::ir::{AuthScheme, Client, HttpMethod, Module, ModuleHead, PathPart};

/// The README rows of an operation: its method, and the `resume_…` method of a long-running
/// one (a `GET` of the status monitor).
fn readme_methods(op: &crate::ir::Operation) -> Vec<ReadmeMethod> {
    let mut rows = vec![ReadmeMethod {
        name: crate::names::unraw(&op.method_name).to_owned(),
        operation: op.spec_name.clone(),
        http: http(op.method),
        path: path_text(&op.path),
    }];
    if let Some(lro) = &op.long_running {
        let path = match &lro.resume.by {
            crate::ir::ResumeBy::Operation { path, .. } => path_text(path),
            crate::ir::ResumeBy::Url => "{status_url}".to_owned(),
        };
        rows.push(ReadmeMethod {
            name: crate::names::unraw(&lro.resume.method_name).to_owned(),
            // Traced and scripted as the operation it resumes.
            operation: op.spec_name.clone(),
            http: "GET",
            path,
        });
    }
    rows
}

fn path_text(path: &[PathPart]) -> String {
    path.iter()
        .map(|p| match p {
            PathPart::Literal(text) => text.clone(),
            PathPart::Parameter(name) | PathPart::Scope(name) => {
                format!("{{{}}}", crate::names::unraw(name))
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "Cargo.toml.txt", escape = "none")]
struct Manifest<'a> {
    features: Vec<Feature<'a>>,
}

struct Feature<'a> {
    name: &'a str,
    events: bool,
}

/// `Cargo.toml` of the generated crate.
pub fn manifest(modules: &[ModuleHead]) -> String {
    let features = modules
        .iter()
        .filter(|m| m.feature_gated)
        .map(|m| Feature { name: &m.name, events: m.has_events })
        .collect();
    render(&Manifest { features })
}

/// What the README says of one module, gathered as the module is emitted.
#[derive(Debug)]
pub struct ReadmeModule {
    name: String,
    summary: String,
    gated: bool,
    clients: Vec<ReadmeClient>,
}

#[derive(Debug)]
struct ReadmeClient {
    name: String,
    auth_doc: String,
    quickstart: String,
    methods: Vec<ReadmeMethod>,
}

#[derive(Debug)]
struct ReadmeMethod {
    name: String,
    /// The operation key of the spec: the span name's and the `test-util` script's.
    operation: String,
    http: &'static str,
    path: String,
}

impl ReadmeModule {
    /// The README's view of `module`.
    pub fn of(module: &Module) -> Self {
        let clients = module
            .clients
            .iter()
            .map(|c| ReadmeClient {
                name: c.name.clone(),
                auth_doc: auth_doc(module, c),
                quickstart: quickstart(module, c),
                methods: c.operations.iter().flat_map(readme_methods).collect(),
            })
            .collect();
        ReadmeModule {
            name: module.name.clone(),
            summary: first_sentence(&module.description),
            gated: module.feature_gated,
            clients,
        }
    }
}

#[derive(Template)]
#[template(path = "README.md.txt", escape = "none")]
struct Readme<'a> {
    summary: String,
    first_feature: String,
    modules: &'a [ReadmeModule],
}

/// `README.md` of the generated crate, also its crate documentation.
pub fn readme(modules: &[ReadmeModule]) -> String {
    let services: Vec<&str> =
        modules.iter().filter(|m| !m.clients.is_empty()).map(|m| m.name.as_str()).collect();
    let summary = if services.is_empty() {
        "models generated from the specs".to_owned()
    } else {
        format!("clients for {}", services.join(", "))
    };
    let first_feature =
        modules.iter().find(|m| m.gated).map(|m| format!("\"{}\"", m.name)).unwrap_or_default();
    render(&Readme { summary, first_feature, modules })
}

fn render(template: &impl Template) -> String {
    // The templates only print strings the generator made; rendering them cannot fail.
    template.render().unwrap_or_default()
}

fn http(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    }
}

/// The first sentence of a description, on one line, for a table cell.
fn first_sentence(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = one_line.find(". ").map(|i| i + 1).unwrap_or(one_line.len());
    one_line[..end].replace('|', "\\|")
}

fn auth_doc(module: &Module, client: &Client) -> String {
    let top = module.top_client(client);
    if client.parent.is_some() {
        return format!(
            "Created from a [`{}`] with `{}`; it shares that client's pipeline and credential.",
            top.name, client.accessor
        );
    }
    let kinds: Vec<&str> = top
        .auth
        .iter()
        .map(|a| match a {
            AuthScheme::UserToken => "a user access token",
            AuthScheme::AccessKey => "the resource's access key (or connection string)",
            AuthScheme::EntraId => "a Microsoft Entra ID `TokenCredential`",
        })
        .collect();
    format!("Authenticates with {}.", kinds.join(", or "))
}

/// A program that creates the client, compiled as a `no_run` doc test of the crate docs.
fn quickstart(module: &Module, client: &Client) -> String {
    let top = module.top_client(client);
    let token_only = top.auth.iter().all(|a| *a == AuthScheme::UserToken);
    let mut lines = vec![format!("use azure_communication::{}::{};", module.name, top.name)];
    if token_only {
        lines.push("use azure_communication::UserTokenCredential;".to_owned());
    }
    lines.push(String::new());
    lines.push("fn main() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
    if token_only {
        lines.push("    let endpoint = std::env::var(\"COMMUNICATION_ENDPOINT\")?;".to_owned());
        lines.push("    let token = std::env::var(\"COMMUNICATION_USER_TOKEN\")?;".to_owned());
        lines.push(format!(
            "    let client = {}::new(&endpoint, std::sync::Arc::new(UserTokenCredential::new(token)), None)?;",
            top.name
        ));
    } else {
        lines.push(
            "    let connection_string = std::env::var(\"COMMUNICATION_CONNECTION_STRING\")?;"
                .to_owned(),
        );
        lines.push(format!(
            "    let client = {}::from_connection_string(&connection_string, None)?;",
            top.name
        ));
    }
    if client.parent.is_some() {
        let args: Vec<String> = client
            .scope
            .iter()
            .map(|p| format!("\"<{}>\"", crate::names::unraw(&p.name)))
            .collect();
        lines.push(format!("    let client = client.{}({});", client.accessor, args.join(", ")));
    }
    lines.push("    println!(\"calling {}\", client.endpoint());".to_owned());
    lines.push("    Ok(())".to_owned());
    lines.push("}".to_owned());
    lines.join("\n")
}
