//! Downloads, against a tiny HTTP server on 127.0.0.1 (no machine here reaches the internet).

use listening::datasets::{download_url, sha256_file};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// Serves `body` with `status` to at most `n` requests, then stops.
fn serve(status: &'static str, body: Vec<u8>, n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&body).unwrap();
        }
    });
    format!("http://{addr}/file.csv")
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("listening-dl-{}-{name}", std::process::id()))
}

#[test]
fn download_verifies_checksum_and_keeps_the_file() {
    let body = b"artist,album,track,date\n".repeat(1000);
    let src = temp("src");
    std::fs::write(&src, &body).unwrap();
    let sum = sha256_file(&src).unwrap();
    let url = serve("200 OK", body.clone(), 1);
    let target = temp("dir").join("sub/file.csv");
    download_url(&url, &sum, &target).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), body);
    std::fs::remove_dir_all(temp("dir")).unwrap();
    std::fs::remove_file(src).unwrap();
}

#[test]
fn wrong_checksum_keeps_nothing() {
    let url = serve("200 OK", b"tampered".to_vec(), 1);
    let target = temp("bad").join("file.csv");
    let e = download_url(&url, &"0".repeat(64), &target).unwrap_err();
    assert!(e.to_string().contains("nothing was kept"), "{e}");
    assert!(!target.exists());
    assert!(
        !temp("bad").exists(),
        "no folder is made for a rejected download"
    );
}

#[test]
fn http_error_names_url_and_status() {
    let url = serve("404 Not Found", b"no".to_vec(), 1);
    let e = download_url(&url, &"0".repeat(64), &temp("404").join("f")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains(&url) && msg.contains("404"), "{msg}");
    let _ = std::fs::remove_dir_all(temp("404"));
}
