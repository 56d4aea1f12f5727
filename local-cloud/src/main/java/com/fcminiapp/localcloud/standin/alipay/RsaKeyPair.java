package com.fcminiapp.localcloud.standin.alipay;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * An RSA 2048 key pair in the forms the Alipay open platform uses in public-key mode: the private key as
 * PKCS#8 base64 and the public key as X.509 base64, both without PEM headers.
 */
public final class RsaKeyPair {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private RsaKeyPair(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A fresh RSA 2048 key pair. */
    public static RsaKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RsaKeyPair(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /** Restores a key pair from its PKCS#8 base64 private key (the public key is derived from it). */
    public static RsaKeyPair fromPrivateKeyPkcs8Base64(String pkcs8Base64) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pkcs8Base64)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new RsaKeyPair(privateKey, publicKey);
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key", e);
        }
    }

    /** Parses an X.509 (SubjectPublicKeyInfo) base64 RSA public key. */
    static PublicKey parsePublicKey(String x509Base64) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(x509Base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA X.509 public key", e);
        }
    }

    public String privateKeyPkcs8Base64() {
        return Base64.getEncoder().encodeToString(privateKey.getEncoded());
    }

    public String publicKeyX509Base64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    PublicKey publicKey() {
        return publicKey;
    }
}
