package dev.myzoom.web;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The server's TLS identity as a key store: read from PEM files (what Let's Encrypt and most
 * tools write), or made up on the spot as a self-signed certificate for a trial on a LAN.
 */
public final class Tls {
    public static final char[] PASSWORD = "myzoom".toCharArray();

    private Tls() {}

    /** Thrown when the PEM files cannot be used; the message names the file and the problem. */
    public static final class Unusable extends RuntimeException {
        public Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Loads a certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 or SEC1). */
    public static KeyStore fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader in = Files.newBufferedReader(certFile, StandardCharsets.UTF_8); PEMParser pem = new PEMParser(in)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(certs.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new Unusable("cannot read the certificate in " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new Unusable("no certificate found in " + certFile, null);
        }
        PrivateKey key;
        try (Reader in = Files.newBufferedReader(keyFile, StandardCharsets.UTF_8); PEMParser pem = new PEMParser(in)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                key = keys.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = keys.getPrivateKey(info);
            } else {
                throw new Unusable("no unencrypted private key found in " + keyFile, null);
            }
        } catch (IOException e) {
            throw new Unusable("cannot read the private key in " + keyFile + ": " + e.getMessage(), e);
        }
        checkPair(key, chain.get(0), keyFile);
        return keyStore(key, chain.toArray(X509Certificate[]::new));
    }

    // A key that does not belong to the certificate would only fail at the first handshake.
    private static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // reported below
        }
        throw new Unusable("the private key in " + keyFile + " does not belong to the certificate", null);
    }

    /** A new EC key and a certificate for {@code hosts} (names or IP addresses), valid for 90 days. */
    public static KeyStore selfSigned(Set<String> hosts) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            Set<GeneralName> names = new LinkedHashSet<>();
            for (String host : hosts) {
                names.add(new GeneralName(host.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            X500Name subject = new X500Name("CN=My Zoom self-signed");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(90))), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return keyStore(pair.getPrivate(), new X509Certificate[] {cert});
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate", e);
        }
    }

    private static KeyStore keyStore(PrivateKey key, X509Certificate[] chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, PASSWORD, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new Unusable("the certificate and key do not make a usable pair: " + e.getMessage(), e);
        }
    }
}
