/**
 * The one Fabric release this project builds and runs.
 *
 * Fabric's Go module path has no `/v2` suffix, so its v2/v3 tags are not valid module versions:
 * `@v2.5.x` is rejected and `@latest` resolves to Fabric 1.4. A release is therefore pinned by the
 * pseudo-version of its release commit (base `v1.4.0-rc1`, the newest valid v1 tag in its history).
 *
 * The Go module proxy reachable from our machines serves only some of these pseudo-versions: v2.5.0,
 * v2.5.9, v3.1.0 and v3.1.1 were served; v2.5.10 to v2.5.16 and v3.1.2 to v3.1.5 were refused
 * ("This module version is not available"). v2.5.9 is the newest served release of the 2.5 LTS line.
 * Changing any field here makes `npm run fabric:install` rebuild into a fresh cache folder.
 */
export const FABRIC_RELEASE = {
  /** Fabric's own version number, stamped into the binaries (`peer version`). */
  version: '2.5.9',
  /** The release commit of tag v2.5.9. */
  commit: '7c3876255bf064b789a839ce347b6a02adb6333c',
  /** Module path of Fabric's main module. */
  module: 'github.com/hyperledger/fabric',
  /** Pseudo-version of the release commit (commit time 2024-06-18 19:42:58 UTC). */
  pseudoVersion: 'v1.4.0-rc1.0.20240618194258-7c3876255bf0',
  /** The commands built from the main module. */
  commands: ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'] as const,
} as const;
