package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The WeChat Pay keys a merchant trusts, by the value the service puts in {@code
 * Wechatpay-Serial}: public key ids ({@code PUB_KEY_ID_...}, the current mode) and platform
 * certificate serials (the older mode), both in one set so a merchant can migrate without a gap:
 * during the switchover either key may sign, and an answer signed by any key of the set passes.
 * Immutable and safe to share between threads and clients; it is its own {@link TrustedKeys}.
 */
public final class WechatPayKeySet implements TrustedKeys {
  /** Which mode a trusted key belongs to. */
  public enum Kind {
    /** A WeChat Pay public key downloaded from the merchant platform. */
    PUBLIC_KEY,
    /** A platform certificate (from {@code GET /v3/certificates}). */
    PLATFORM_CERTIFICATE
  }

  /** One trusted key. */
  public static final class TrustedKey {
    private final String serial;
    private final Kind kind;
    private final PublicKey publicKey;

    TrustedKey(String serial, Kind kind, PublicKey publicKey) {
      this.serial = serial;
      this.kind = kind;
      this.publicKey = publicKey;
    }

    public String serial() {
      return serial;
    }

    public Kind kind() {
      return kind;
    }

    public PublicKey publicKey() {
      return publicKey;
    }

    @Override
    public String toString() {
      return kind + " " + serial;
    }
  }

  private static final String PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_";
  private static final Pattern PUBLIC_KEY_ID = Pattern.compile("PUB_KEY_ID_[0-9A-Za-z_]+");

  private final Map<String, TrustedKey> keys;
  /** The serial chosen with {@link Builder#preferredSerial}, or null. */
  private final String chosenSerial;
  /** Worked out once: signers read it on every request. */
  private final String preferredSerial;

  private WechatPayKeySet(Map<String, TrustedKey> keys, String chosenSerial) {
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    this.chosenSerial = chosenSerial;
    this.preferredSerial = chosenSerial != null ? chosenSerial : this.keys.values().stream()
        .filter(k -> k.kind() == Kind.PUBLIC_KEY)
        .findFirst()
        .orElseGet(() -> this.keys.values().iterator().next())
        .serial();
  }

  /** This set: a fixed set is its own source. */
  @Override
  public WechatPayKeySet current() {
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The key that {@code Wechatpay-Serial} names, if trusted. */
  public Optional<TrustedKey> find(String serial) {
    return serial == null ? Optional.empty() : Optional.ofNullable(keys.get(serial));
  }

  /** All trusted keys in the order they were added. */
  public Map<String, TrustedKey> keys() {
    return keys;
  }

  /** Ids and serials, in the order they were added. */
  public Set<String> serials() {
    return keys.keySet();
  }

  /**
   * What the client sends in {@code Wechatpay-Serial}, which during a switchover names the key the
   * merchant wants answers signed with: the one chosen with {@link Builder#preferredSerial}, else
   * the first public key id added, else the platform certificate that was added first.
   */
  public String preferredSerial() {
    return preferredSerial;
  }

  @Override
  public String toString() {
    return "WechatPayKeySet" + keys.values();
  }

  /** Collects keys; {@link #build()} fails when nothing was added. Not thread-safe. */
  public static final class Builder {
    private final Map<String, TrustedKey> keys = new LinkedHashMap<>();
    private String preferredSerial;

    private Builder() {}

    /**
     * Every key of {@code set} (in its order) and its chosen serial, if it has one; e.g. the
     * public keys a managed certificate set also trusts.
     */
    public Builder addAll(WechatPayKeySet set) {
      set.keys.values().forEach(k -> add(k.serial, k.kind, k.publicKey));
      if (set.chosenSerial != null && preferredSerial == null) {
        preferredSerial = set.chosenSerial;
      }
      return this;
    }

    /**
     * The id or serial sent in {@code Wechatpay-Serial} (the default is in {@link
     * WechatPayKeySet#preferredSerial()}); it must be one of the keys added.
     */
    public Builder preferredSerial(String serial) {
      this.preferredSerial = Objects.requireNonNull(serial, "serial");
      return this;
    }

    /** A WeChat Pay public key and its id as shown on the merchant platform ({@code PUB_KEY_ID_...}). */
    public Builder publicKey(String publicKeyId, PublicKey key) {
      Objects.requireNonNull(publicKeyId, "publicKeyId");
      if (!PUBLIC_KEY_ID.matcher(publicKeyId).matches()) {
        throw new KeyLoadingException("WeChat Pay public key id '" + publicKeyId
            + "' does not have the form " + PUBLIC_KEY_ID_PREFIX + "<letters and digits>");
      }
      return add(publicKeyId, Kind.PUBLIC_KEY,
          RsaKeys.requireRsa2048(key, "WeChat Pay public key " + publicKeyId));
    }

    /** A WeChat Pay public key read from its PEM file ({@code pub_key.pem}). */
    public Builder publicKey(String publicKeyId, Path pemFile) {
      return publicKey(publicKeyId, PublicKeyLoader.fromFile(pemFile));
    }

    /** A platform certificate, trusted under its serial. */
    public Builder platformCertificate(X509Certificate certificate) {
      Objects.requireNonNull(certificate, "certificate");
      String serial = CertificateLoader.serialOf(certificate);
      return add(serial, Kind.PLATFORM_CERTIFICATE, RsaKeys.requireRsa2048(
          certificate.getPublicKey(), "The public key of platform certificate " + serial));
    }

    /** A platform certificate read from a PEM file. */
    public Builder platformCertificate(Path pemFile) {
      return platformCertificate(CertificateLoader.fromFile(pemFile));
    }

    private Builder add(String serial, Kind kind, PublicKey key) {
      if (keys.containsKey(serial)) {
        throw new KeyLoadingException("Key set already holds " + keys.get(serial)
            + "; each id or serial may be added once");
      }
      keys.put(serial, new TrustedKey(serial, kind, key));
      return this;
    }

    public WechatPayKeySet build() {
      if (keys.isEmpty()) {
        throw new KeyLoadingException("The WeChat Pay key set is empty; add a WeChat Pay public key"
            + " (PUB_KEY_ID_...) or a platform certificate");
      }
      if (preferredSerial != null && !keys.containsKey(preferredSerial)) {
        throw new KeyLoadingException("preferredSerial " + preferredSerial + " is not in the key set "
            + keys.keySet() + "; Wechatpay-Serial must name a trusted key");
      }
      return new WechatPayKeySet(keys, preferredSerial);
    }
  }
}
