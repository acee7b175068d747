fn main() {
    let doc = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let i = gongkai::import::import(&doc);
    println!("{}", i.markdown);
    let p = gongkai::parse::parse_plan(std::path::Path::new("x.md"), "x", &i.markdown);
    for d in p.diagnostics {
        println!("{:?}", d.message);
    }
}
