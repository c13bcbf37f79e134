//! A bare HTTP sink for the benchmarks: answers every request `200 {"received":true}`.
//!
//! `cargo run --release --example sink -- [PORT]` prints the port it bound on its first line.

use axum::Router;
use axum::body::Bytes;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .map(|p| p.parse().expect("PORT is a number"))
        .unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("{}", listener.local_addr()?.port());
    let app = Router::new().fallback(|_body: Bytes| async { r#"{"received":true}"# });
    axum::serve(listener, app).await
}
