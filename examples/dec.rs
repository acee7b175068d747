fn main() {
    let bytes = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    let (imported, format) = gongkai::import::import_bytes(&bytes).unwrap();
    eprintln!("{format:?}");
    println!("{}", imported.markdown);
    for w in imported.warnings {
        eprintln!("{}: {}", w.line, w.message);
    }
}
