//! Formatting modules in parallel changes nothing: the real specs give the same files, in the
//! same order and byte for byte, with one thread and with several.

use api_codegen::generate_files;

mod real_specs;
use real_specs::real_specs;

#[test]
fn one_thread_and_several_give_the_same_files_in_the_same_order() {
    let specs = real_specs();
    let one: Vec<(String, String)> =
        generate_files(&specs).expect("the real specs generate").with_threads(1).collect();
    for threads in [2, 3, 8] {
        let many: Vec<(String, String)> = generate_files(&specs)
            .expect("the real specs generate")
            .with_threads(threads)
            .collect();
        assert_eq!(one.len(), many.len(), "{threads} threads");
        for (a, b) in one.iter().zip(&many) {
            assert_eq!(a.0, b.0, "{threads} threads: the order differs");
            assert!(a.1 == b.1, "{threads} threads: {} differs", a.0);
        }
    }
    assert!(one.iter().any(|(path, _)| path == "src/chat.rs"));
}
