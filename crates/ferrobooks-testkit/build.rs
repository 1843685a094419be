//! Marks the PostgreSQL and Redis variants of the integration tests as
//! ignored (with the reason) when their variables are unset, so a plain
//! `cargo test` reports them as not run instead of passed.

fn main() {
    for (var, cfg) in [
        ("FERROBOOKS_TEST_POSTGRES_URL", "postgres_tests"),
        ("FERROBOOKS_TEST_REDIS_URL", "redis_tests"),
    ] {
        println!("cargo::rerun-if-env-changed={var}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var(var).is_ok_and(|v| !v.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
