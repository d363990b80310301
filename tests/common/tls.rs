//! Certificates as the other end of a connection sees them: PEM chains split, decoded, and
//! verified by the `openssl verify` command against the trust anchor a caller (or a server)
//! mounts, for a purpose and a name.

use std::path::Path;
use std::process::Command;

use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// The PEM blocks of a file, each with its BEGIN and END lines.
pub fn pem_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.starts_with("-----BEGIN ") {
            current.clear();
        }
        current.push_str(line);
        current.push('\n');
        if line.starts_with("-----END ") {
            blocks.push(std::mem::take(&mut current));
        }
    }
    blocks
}

/// What the certificate is checked for, as `openssl verify` takes it.
#[derive(Debug, Clone, Copy)]
pub enum Check<'a> {
    /// A server, for this host name.
    Server(&'a str),
    /// A client (any identity: the URI is read with [`uris`]).
    Client,
}

/// Runs `openssl verify` on the first certificate of `chain` (the others given as untrusted
/// intermediates) against the anchors in `anchors` only; the error holds openssl's output.
pub fn openssl_verify(anchors: &str, chain: &str, check: Check) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write a PEM file");
        path
    };
    let blocks = pem_blocks(chain);
    let leaf = write("leaf.pem", blocks.first().map(String::as_str).unwrap_or(""));
    let untrusted = write("chain.pem", &blocks.get(1..).unwrap_or(&[]).concat());
    let anchors = write("anchors.pem", anchors);
    let mut command = Command::new("openssl");
    command.arg("verify").arg("-CAfile").arg(&anchors).args([
        "-no-CApath",
        "-no-CAstore",
        "-x509_strict",
    ]);
    if blocks.len() > 1 {
        command.arg("-untrusted").arg(&untrusted);
    }
    match check {
        Check::Server(host) => command.args(["-purpose", "sslserver", "-verify_hostname", host]),
        Check::Client => command.args(["-purpose", "sslclient"]),
    };
    let output = command.arg(&leaf).output().expect("openssl runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() && text.contains(": OK") {
        Ok(())
    } else {
        Err(format!("openssl verify failed: {text}"))
    }
}

/// [`openssl_verify`] of the files at these paths.
pub fn openssl_verify_files(anchors: &Path, chain: &Path, check: Check) -> Result<(), String> {
    let read = |path: &Path| std::fs::read_to_string(path).expect("a PEM file");
    openssl_verify(&read(anchors), &read(chain), check)
}

/// The first certificate of a PEM text, decoded (owned DER kept by the caller).
pub fn der(pem_text: &str) -> Vec<u8> {
    let (_, pem) = parse_x509_pem(pem_text.as_bytes()).expect("a PEM certificate");
    pem.contents
}

/// The DNS names and URIs of the subject alternative names of a DER certificate.
pub fn names(der: &[u8]) -> (Vec<String>, Vec<String>) {
    let (_, cert) = X509Certificate::from_der(der).expect("an X.509 certificate");
    let (mut dns, mut uris) = (Vec::new(), Vec::new());
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns.push(d.to_string()),
                GeneralName::URI(u) => uris.push(u.to_string()),
                _ => {}
            }
        }
    }
    (dns, uris)
}

/// The URIs of the first certificate of a PEM text.
pub fn uris(pem_text: &str) -> Vec<String> {
    names(&der(pem_text)).1
}

/// One end of a TLS connection, as PEM text: its certificate chain (leaf first) and key, if
/// it presents one, and the anchors it verifies the other end with.
pub struct End<'a> {
    pub chain: Option<(&'a str, &'a str)>,
    pub anchors: &'a str,
}

/// A real TLS handshake on 127.0.0.1: `openssl s_server` with the server's chain and key
/// requiring a client certificate verified against its anchors (`-Verify`), and
/// `openssl s_client` verifying the server against its anchors for `host`, presenting its
/// own chain if it has one. `Ok` when the handshake succeeds both ways and an HTTP request
/// goes through; the error holds what the two printed.
pub fn mutual_handshake(server: &End, client: &End, host: &str) -> Result<(), String> {
    use std::io::Write;
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write a PEM file");
        path
    };
    let (server_chain, server_key) = server.chain.expect("the server presents a certificate");
    let blocks = pem_blocks(server_chain);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut s_server = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-verify_return_error"])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .arg("-cert")
        .arg(write("server.pem", &blocks[0]))
        .arg("-cert_chain")
        .arg(write("server-chain.pem", &blocks[1..].concat()))
        .arg("-key")
        .arg(write("server.key", server_key))
        .args(["-Verify", "4", "-CAfile"])
        .arg(write("server-anchors.pem", server.anchors))
        .args(["-no-CApath", "-no-CAstore"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_server starts");
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "s_server never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut command = Command::new("openssl");
    command
        .args([
            "s_client",
            "-quiet",
            "-verify_return_error",
            "-no-CApath",
            "-no-CAstore",
        ])
        .args(["-connect", &format!("127.0.0.1:{port}")])
        .args([
            "-servername",
            host,
            "-verify_hostname",
            host,
            "-verify",
            "4",
        ])
        .arg("-CAfile")
        .arg(write("client-anchors.pem", client.anchors));
    if let Some((chain, key)) = client.chain {
        let blocks = pem_blocks(chain);
        command
            .arg("-cert")
            .arg(write("client.pem", &blocks[0]))
            .arg("-cert_chain")
            .arg(write("client-chain.pem", &blocks[1..].concat()))
            .arg("-key")
            .arg(write("client.key", key));
    }
    let mut s_client = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_client starts");
    s_client
        .stdin
        .take()
        .unwrap()
        .write_all(b"GET / HTTP/1.0\r\n\r\n")
        .unwrap();
    let client_out = s_client.wait_with_output().expect("s_client ends");
    let _ = s_server.kill();
    let server_out = s_server.wait_with_output().expect("s_server ends");
    let response = String::from_utf8_lossy(&client_out.stdout);
    if client_out.status.success() && response.starts_with("HTTP/1.0 200 ok") {
        Ok(())
    } else {
        Err(format!(
            "the handshake failed:\ns_client: {}{}\ns_server: {}{}",
            response,
            String::from_utf8_lossy(&client_out.stderr),
            String::from_utf8_lossy(&server_out.stdout),
            String::from_utf8_lossy(&server_out.stderr)
        ))
    }
}
