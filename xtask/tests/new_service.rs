//! Adding a service is one spec file: a service that none of the shipped specs describes is
//! written into a scratch copy of the workspace (its spec and an OpenAPI-style example file,
//! nothing else), `codegen` runs there, and the service's generated wire test is built and run.

mod scratch;

use std::fs;
use std::process::Command;

use scratch::{copy_dir, workspace_root};

use xtask::codegen::{run, Mode};

const SPEC: &str = r#"module: inventory
description: A small inventory service, written for this test only.
imports: [common]

clients:
  InventoryClient:
    description: The client of the inventory service.
    api-version: 2025-01-01
    auth: [access-key]

operations:
  getWidget:
    description: Reads one widget.
    method: GET
    path: /widgets/{widgetId}
    parameters:
      widgetId: { in: path, type: string, description: The widget id. }
      expand: { in: query, type: boolean, description: Whether to include the parts. }
    responses:
      200: { description: The widget., body: Widget }
    error: CommunicationErrorResponse
    examples:
      Get a widget.:
        file: specs/examples/Widgets_Get.json

definitions:
  Widget:
    description: A widget.
    properties:
      id: { type: string, required: true, description: The widget id. }
      name: { type: string, required: true, description: The display name. }
      parts: { type: list<string>, description: The part numbers. }
      color: { type: Color, description: The color. }
  Color:
    description: A widget color.
    enum:
      red: Red.
      blue: Blue.
"#;

const EXAMPLE: &str = r#"{
  "parameters": {
    "endpoint": "https://contoso.communication.azure.com",
    "api-version": "2025-01-01",
    "widgetId": "w:1@shelf",
    "expand": true
  },
  "responses": {
    "200": {
      "body": { "id": "w:1@shelf", "name": "Sprocket", "parts": ["p1", "p2"], "color": "green" }
    }
  }
}
"#;

#[test]
fn a_new_service_needs_only_its_spec_file() {
    let scratch = std::env::temp_dir().join(format!("xtask-new-service-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let root = scratch.join("workspace");
    copy_dir(&workspace_root(), &root, &["target", ".git", "fuzz"]);
    // The conformance files beside the workspace, as a clone has them.
    std::os::unix::fs::symlink(workspace_root().join("../shared"), scratch.join("shared")).unwrap();
    fs::write(root.join("specs/inventory.yaml"), SPEC).unwrap();
    fs::create_dir_all(root.join("specs/examples")).unwrap();
    fs::write(root.join("specs/examples/Widgets_Get.json"), EXAMPLE).unwrap();

    let summary = run(&root, Mode::Write).unwrap_or_else(|e| panic!("codegen failed:\n{e}"));
    assert!(summary.starts_with("codegen:"), "{summary}");
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("inventory = []"), "the feature is generated:\n{manifest}");
    assert!(root.join("generated/tests/operations/inventory.rs").exists());

    // A target directory of its own, kept between runs, so that only the workspace's crates
    // are built again.
    // The scratch target directory and flags of the spec zoo test, so that one build of the
    // dependencies serves both.
    let target = workspace_root().join("target/scratch");
    let output = Command::new(env!("CARGO"))
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .args([
            "test",
            "--quiet",
            "-p",
            "azure-communication",
            "--test",
            "operations",
            "--",
            "inventory::",
        ])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the generated wire test failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "exactly the inventory wire test ran:\n{stdout}"
    );
    let _ = fs::remove_dir_all(&scratch);
}
