//! Loads a listening export with `read_plays` and prints the report and the table's shape; with
//! `/usr/bin/time -v` around it, the peak memory of a load.
//! Usage: `cargo run --release --example load -- PATH`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load PATH");
        std::process::exit(2);
    };
    let started = std::time::Instant::now();
    match listening::loaders::read_plays(&path) {
        Ok(l) => println!(
            "{} rows x {} columns in {:.2} s\n{}",
            l.df.height(),
            l.df.width(),
            started.elapsed().as_secs_f64(),
            l.report
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
