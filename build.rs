//! Rebuilds the binary when the default theme (embedded with `include_dir!`) changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
