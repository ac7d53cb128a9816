package dev.digestflow.schema.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust material of a private CA, for the clients that talk HTTPS to it: the registry client
 * (a trust store, or PEM) and the Elasticsearch client (PEM). Certificates only: no client keys.
 */
public final class TrustStores {

    private TrustStores() {
    }

    /** Every X.509 certificate of a PEM file, in an in-memory trust store; empty when the file holds none. */
    public static KeyStore pem(Path file) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(file)) {
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, cert);
            }
        }
        return trust;
    }

    /** A TLS context that trusts exactly these certificates. */
    public static SSLContext sslContext(KeyStore trust) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
