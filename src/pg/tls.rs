//! TLS to the PostgreSQL server, with libpq's meanings of `sslmode` and `sslrootcert`, so that a
//! URL that works with `psql` works with mizan.
//!
//! | `sslmode` | encrypted | server certificate checked |
//! |---|---|---|
//! | `disable` | never | — |
//! | `allow` | as `prefer` | no |
//! | `prefer` (the default) | when the server offers TLS | no |
//! | `require` | always (else the connection fails) | no |
//! | `verify-ca` | always | signed by a CA of `sslrootcert` |
//! | `verify-full` | always | as `verify-ca`, and issued for the host connected to |
//!
//! `sslrootcert` names a PEM file of CA certificates (default: `~/.postgresql/root.crt`, as
//! libpq's). The client library reads `disable`, `prefer` and `require` only; [`split`] takes the
//! two `verify-*` modes and `sslrootcert` out of the URL and hands it `require`, and
//! [`connector`] makes the check.
//!
//! Invariant: a mode that promises a check never connects without it (no file of CAs, an
//! unreadable one or one without a certificate is an error, not a fallback to `require`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// What the URL asks of TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsAsk {
    /// How far the server certificate is checked.
    pub(crate) check: Check,
    /// The `sslrootcert` given, if any.
    pub(crate) root_cert: Option<PathBuf>,
}

/// How far the server certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Not at all: encryption against eavesdropping only (`prefer`, `require`, `disable`).
    None,
    /// Signed by a trusted CA (`verify-ca`).
    Chain,
    /// Signed by a trusted CA and issued for the host (`verify-full`).
    Full,
}

/// Splits the TLS parameters the client library does not know out of `url`: returns the URL to
/// give it (`sslmode=verify-*` written as `require`, `sslrootcert` removed) and what was asked.
///
/// # Errors
/// An `sslmode` no version of libpq knows (the message names it).
pub(crate) fn split(url: &str) -> Result<(String, TlsAsk), String> {
    let mut ask = TlsAsk {
        check: Check::None,
        root_cert: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), ask));
    };
    let mut kept = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        match key {
            "sslmode" => match percent_decode(value).as_str() {
                "disable" | "prefer" | "require" => kept.push(param.to_string()),
                // libpq tries without TLS first, then with it; the client library knows no such
                // order, and `prefer` is the same promise (no check).
                "allow" => kept.push("sslmode=prefer".to_string()),
                "verify-ca" => {
                    ask.check = Check::Chain;
                    kept.push("sslmode=require".to_string());
                }
                "verify-full" => {
                    ask.check = Check::Full;
                    kept.push("sslmode=require".to_string());
                }
                other => {
                    return Err(format!(
                        "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                    ))
                }
            },
            "sslrootcert" => ask.root_cert = Some(PathBuf::from(percent_decode(value))),
            _ => kept.push(param.to_string()),
        }
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, ask))
}

/// `%XX` escapes decoded (a path in a URL may carry them); anything else kept as it is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The TLS connector for what the URL asked.
///
/// # Errors
/// A checking mode without a readable file of CA certificates (the message says which file).
pub(crate) fn connector(ask: &TlsAsk) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match ask.check {
        Check::None => Arc::new(NameUnchecked {
            chain: None,
            provider: Arc::clone(&provider),
        }),
        Check::Chain | Check::Full => {
            let path = match &ask.root_cert {
                Some(p) => p.clone(),
                None => std::env::var_os("HOME")
                    .and_then(|home| default_root_cert(Path::new(&home)))
                    .ok_or_else(|| {
                        "sslmode=verify-ca and verify-full need the CA certificates that signed the server's: \
                     sslrootcert=FILE (PEM) in the URL, or ~/.postgresql/root.crt"
                            .to_string()
                    })?,
            };
            let roots = read_roots(&path)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            if ask.check == Check::Full {
                webpki
            } else {
                Arc::new(NameUnchecked {
                    chain: Some(webpki),
                    provider: Arc::clone(&provider),
                })
            }
        }
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// libpq's default `sslrootcert` in the home directory `home`, when the file exists.
fn default_root_cert(home: &Path) -> Option<PathBuf> {
    let path = home.join(".postgresql").join("root.crt");
    path.is_file().then_some(path)
}

/// The CA certificates in the PEM file at `path` (at least one).
fn read_roots(path: &Path) -> Result<rustls::RootCertStore, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
    let mut roots = rustls::RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!("sslrootcert {}: no CA certificate in it", path.display()));
    }
    Ok(roots)
}

/// The modes that leave the name the certificate was issued for unchecked, as libpq:
/// `prefer` and `require` check nothing of the certificate (encryption without a check),
/// `verify-ca` its chain to a trusted CA. Either way the handshake signatures are verified, so
/// the session is with the holder of that certificate.
#[derive(Debug)]
struct NameUnchecked {
    /// The check of the chain (`verify-ca`); `None`: any certificate.
    chain: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for NameUnchecked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            // Only the name is wrong: the chain was checked before it.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_modes_and_the_ca_file_are_taken_out_of_the_url() {
        let (url, ask) = split(
            "postgres://u:p@db.example:5433/tm?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://u:p@db.example:5433/tm?sslmode=require&connect_timeout=5"
        );
        assert_eq!(ask.check, Check::Full);
        assert_eq!(ask.root_cert.as_deref(), Some(Path::new("/etc/ca.pem")));

        let (url, ask) = split("postgres://h/tm?sslmode=verify-ca").unwrap();
        assert_eq!(
            (url.as_str(), ask.check),
            ("postgres://h/tm?sslmode=require", Check::Chain)
        );

        // What the client library knows passes through untouched.
        for u in [
            "postgres://h/tm",
            "postgres://h/tm?sslmode=require",
            "postgres://h/tm?sslmode=disable&application_name=x",
        ] {
            assert_eq!(
                split(u).unwrap(),
                (
                    u.to_string(),
                    TlsAsk {
                        check: Check::None,
                        root_cert: None
                    }
                )
            );
        }
        assert_eq!(
            split("postgres://h/tm?sslrootcert=ca.pem").unwrap().0,
            "postgres://h/tm"
        );
        assert_eq!(
            split("postgres://h/tm?sslmode=allow").unwrap().0,
            "postgres://h/tm?sslmode=prefer"
        );
        assert!(split("postgres://h/tm?sslmode=verify")
            .unwrap_err()
            .contains("sslmode=verify is not"));
    }

    #[test]
    fn a_checking_mode_never_connects_without_its_cas() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        for (file, want) in [
            (empty, "no CA certificate"),
            (dir.path().join("absent.pem"), "absent.pem"),
        ] {
            let ask = TlsAsk {
                check: Check::Full,
                root_cert: Some(file),
            };
            let err = connector(&ask).err().expect("refused");
            assert!(err.contains(want), "{err}");
        }
        assert!(connector(&TlsAsk {
            check: Check::None,
            root_cert: None
        })
        .is_ok());
    }

    #[test]
    fn the_default_ca_file_is_libpqs_when_it_exists() {
        let home = tempfile::tempdir().unwrap();
        assert_eq!(default_root_cert(home.path()), None);
        let dir = home.path().join(".postgresql");
        std::fs::create_dir(&dir).unwrap();
        assert_eq!(default_root_cert(home.path()), None);
        std::fs::write(dir.join("root.crt"), "").unwrap();
        assert_eq!(default_root_cert(home.path()), Some(dir.join("root.crt")));
    }
}
