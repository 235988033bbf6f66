// `hashlib` and `hmac` on swift-crypto, as a runtime extension (plugged in by the `aso` command,
// as the HTTP client is).
//
// One idea: the native part is two pure functions, a digest and an HMAC of whole byte strings.
// A hash object of the script (Library/hashlib/hashlib.aso) keeps what `update` gave it and
// asks for the digest when it is wanted, so no native state outlives the objects that would
// need it (the collector has no finalizers): `hashlib.sha256(data).hexdigest()`, the common use,
// is one call.

import AsoRuntime
import Crypto

/// The `hashlib` and `hmac` modules.
public let runtimeExtension = RuntimeExtension(
    name: "crypto",
    modules: [
        ExtensionModule(name: "hashlib", functions: [("_digest", { try CryptoCore.digest($1) })],
                        sources: CryptoLibrary.sources.filter { $0.file.hasPrefix("hashlib/") }),
        ExtensionModule(name: "hmac", functions: [("_hmac", { try CryptoCore.hmac($1) })],
                        sources: CryptoLibrary.sources.filter { $0.file.hasPrefix("hmac/") }),
    ],
    builtins: [])

enum CryptoCore {
    /// `_digest(name, data)`: the digest of `data` by the algorithm `name` (lower case).
    static func digest(_ args: [ExtensionValue]) throws -> ExtensionValue {
        guard args.count == 2, let name = args[0].string, case .bytes(let data) = args[1] else {
            throw ExtensionError("TypeError", "_digest(name, data)")
        }
        switch name {
        case "md5": return .bytes(Array(Insecure.MD5.hash(data: data)))
        case "sha1": return .bytes(Array(Insecure.SHA1.hash(data: data)))
        case "sha256": return .bytes(Array(SHA256.hash(data: data)))
        case "sha384": return .bytes(Array(SHA384.hash(data: data)))
        case "sha512": return .bytes(Array(SHA512.hash(data: data)))
        default: throw ExtensionError("ValueError", "unsupported hash type \(name)")
        }
    }

    /// `_hmac(name, key, data)`: the HMAC of `data` with `key` over the hash `name`.
    static func hmac(_ args: [ExtensionValue]) throws -> ExtensionValue {
        guard args.count == 3, let name = args[0].string, case .bytes(let key) = args[1], case .bytes(let data) = args[2] else {
            throw ExtensionError("TypeError", "_hmac(name, key, data)")
        }
        let k = SymmetricKey(data: key)
        switch name {
        case "md5": return .bytes(Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: k)))
        case "sha1": return .bytes(Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: k)))
        case "sha256": return .bytes(Array(HMAC<SHA256>.authenticationCode(for: data, using: k)))
        case "sha384": return .bytes(Array(HMAC<SHA384>.authenticationCode(for: data, using: k)))
        case "sha512": return .bytes(Array(HMAC<SHA512>.authenticationCode(for: data, using: k)))
        default: throw ExtensionError("ValueError", "unsupported hash type \(name)")
        }
    }
}
