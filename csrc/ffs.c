/* Berkeley FFS structure decoding: superblock, cylinder-group header, inode and
 * directory entry, from a caller's buffer into a flat int64 record.
 *
 * No policy lives here: the caller decides which offsets to probe, which values
 * are plausible and what to do next. What this file guarantees is that no field
 * is read outside the buffer it was handed, whatever the bytes say, so a hostile
 * or damaged image can at worst produce strange numbers, never a crash. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "ffs.h"

#define UFS1_MAGIC 0x00011954u
#define UFS2_MAGIC 0x19540119u
#define UFS2EA_MAGIC 0x19012038u
#define BAD_MAGIC 0x19960408u
#define MTB_MAGIC 0x00decadeu
#define BW_MAGIC 0x0f242697u
#define OSF_SEC_MAGIC 0x80011954u
#define CG_MAGIC 0x00090255u

#define SB_STRUCT_SIZE 1376 /* struct fs up to and including fs_magic at 1372 */
#define SB_MAGIC_OFF 1372
#define CG_HEADER_SIZE 168  /* struct cg up to the maps */
#define OCG_MAGIC_OFF 980   /* 4.2/4.3BSD static cg: magic after the tables */
#define OCG_IUSED_OFF 724
#define OCG_FREE_OFF 984

static uint32_t get32(const uint8_t *p, int big)
{
	if (big)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t get16(const uint8_t *p, int big)
{
	return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static int64_t s32(const uint8_t *p, int big) { return (int32_t)get32(p, big); }
static int64_t u32(const uint8_t *p, int big) { return get32(p, big); }
static int64_t s16(const uint8_t *p, int big) { return (int16_t)get16(p, big); }

static int64_t s64(const uint8_t *p, int big)
{
	uint64_t hi = get32(big ? p : p + 4, big), lo = get32(big ? p + 4 : p, big);
	return (int64_t)(hi << 32 | lo);
}

static int kind_of(uint32_t m)
{
	switch (m) {
	case UFS1_MAGIC: return FFS_KIND_UFS1;
	case UFS2_MAGIC: return FFS_KIND_UFS2;
	case UFS2EA_MAGIC: return FFS_KIND_UFS2EA;
	case BAD_MAGIC: return FFS_KIND_BAD;
	case MTB_MAGIC: return FFS_KIND_SOLARIS_MTB;
	case 0x00095014u: case 0x00612195u: case 0x00195612u: case 0x05231994u: return FFS_KIND_HPUX;
	case BW_MAGIC: return FFS_KIND_LINUX_BW;
	case OSF_SEC_MAGIC: return FFS_KIND_OSF_SEC;
	default: return FFS_KIND_NONE;
	}
}

/* Decode a superblock candidate. Returns the magic kind (0 when no known magic in
 * either byte order), or -EINVAL when the buffer cannot hold struct fs. */
int shim_ffs_sb_decode(const uint8_t *b, long long len, int64_t *o)
{
	if (!b || !o || len < SB_STRUCT_SIZE)
		return -EINVAL;
	int big = 0, kind = kind_of(get32(b + SB_MAGIC_OFF, 0));
	if (kind == FFS_KIND_NONE) {
		big = 1;
		kind = kind_of(get32(b + SB_MAGIC_OFF, 1));
	}
	memset(o, 0, sizeof(int64_t) * SB_SLOTS);
	o[SB_KIND] = kind;
	o[SB_BIG_ENDIAN] = big;
	o[SB_MAGIC] = u32(b + SB_MAGIC_OFF, big);
	if (kind == FFS_KIND_NONE)
		return 0;
	o[SB_SBLKNO] = s32(b + 8, big);
	o[SB_CBLKNO] = s32(b + 12, big);
	o[SB_IBLKNO] = s32(b + 16, big);
	o[SB_DBLKNO] = s32(b + 20, big);
	o[SB_CGOFFSET] = s32(b + 24, big);
	o[SB_CGMASK] = s32(b + 28, big);
	o[SB_OLD_TIME] = s32(b + 32, big);
	o[SB_OLD_SIZE] = s32(b + 36, big);
	o[SB_OLD_DSIZE] = s32(b + 40, big);
	o[SB_NCG] = u32(b + 44, big);
	o[SB_BSIZE] = s32(b + 48, big);
	o[SB_FSIZE] = s32(b + 52, big);
	o[SB_FRAG] = s32(b + 56, big);
	o[SB_MINFREE] = s32(b + 60, big);
	o[SB_BSHIFT] = s32(b + 80, big);
	o[SB_FSHIFT] = s32(b + 84, big);
	o[SB_FRAGSHIFT] = s32(b + 96, big);
	o[SB_FSBTODB] = s32(b + 100, big);
	o[SB_SBSIZE] = s32(b + 104, big);
	o[SB_NINDIR] = s32(b + 116, big);
	o[SB_INOPB] = u32(b + 120, big);
	o[SB_OLD_CSADDR] = s32(b + 152, big);
	o[SB_CSSIZE] = s32(b + 156, big);
	o[SB_CGSIZE] = s32(b + 160, big);
	o[SB_OLD_CPG] = s32(b + 180, big);
	o[SB_IPG] = u32(b + 184, big);
	o[SB_FPG] = s32(b + 188, big);
	o[SB_OLD_NDIR] = s32(b + 192, big);
	o[SB_OLD_NBFREE] = s32(b + 196, big);
	o[SB_OLD_NIFREE] = s32(b + 200, big);
	o[SB_OLD_NFFREE] = s32(b + 204, big);
	o[SB_FMOD] = (int8_t)b[208];
	o[SB_CLEAN] = (int8_t)b[209];
	o[SB_RONLY] = (int8_t)b[210];
	o[SB_OLD_FLAGS] = b[211];
	o[SB_ID0] = u32(b + 144, big);
	o[SB_ID1] = u32(b + 148, big);
	o[SB_SBLOCKACTUALLOC] = s64(b + 992, big);
	o[SB_SBLOCKLOC] = s64(b + 1000, big);
	o[SB_NDIR] = s64(b + 1008, big);
	o[SB_NBFREE] = s64(b + 1016, big);
	o[SB_NIFREE] = s64(b + 1024, big);
	o[SB_NFFREE] = s64(b + 1032, big);
	o[SB_TIME] = s64(b + 1072, big);
	o[SB_SIZE] = s64(b + 1080, big);
	o[SB_DSIZE] = s64(b + 1088, big);
	o[SB_CSADDR] = s64(b + 1096, big);
	o[SB_MTIME] = s64(b + 1208, big);
	o[SB_FLAGS] = s32(b + 1312, big);
	o[SB_MAXSYMLINKLEN] = s32(b + 1320, big);
	o[SB_INODEFMT] = s32(b + 1324, big);
	o[SB_STATE] = s32(b + 1352, big);
	o[SB_POSTBLFORMAT] = s32(b + 1356, big);
	o[SB_NRPOS] = s32(b + 1360, big);
	return kind;
}

/* Decode a cylinder-group header in the 4.4BSD layout (magic at 4) or the old
 * 4.2/4.3BSD static layout (magic at 980). Returns 0, or -EBADMSG when neither
 * magic is present, or -ERANGE when the header or its maps do not fit in `len`
 * (the maps' extent needs ndblk and ipg, which the caller passes in). */
int shim_ffs_cg_decode(const uint8_t *b, long long len, int big, long long ipg, int64_t *o)
{
	if (!b || !o || len < 0 || ipg < 0)
		return -EINVAL;
	memset(o, 0, sizeof(int64_t) * CG_SLOTS);
	int old;
	if (len >= 8 && get32(b + 4, big) == CG_MAGIC)
		old = 0;
	else if (len >= OCG_FREE_OFF && get32(b + OCG_MAGIC_OFF, big) == CG_MAGIC)
		old = 1;
	else
		return -EBADMSG;
	if (!old && len < CG_HEADER_SIZE)
		return -ERANGE;
	o[CG_OLD_FORMAT] = old;
	o[CG_TIME_OLD] = s32(b + 8, big);
	o[CG_CGX] = u32(b + 12, big);
	o[CG_NCYL] = s16(b + 16, big);
	o[CG_NIBLK_OLD] = s16(b + 18, big);
	o[CG_NDBLK] = u32(b + 20, big);
	o[CG_NDIR] = s32(b + 24, big);
	o[CG_NBFREE] = s32(b + 28, big);
	o[CG_NIFREE] = s32(b + 32, big);
	o[CG_NFFREE] = s32(b + 36, big);
	if (old) {
		o[CG_IUSEDOFF] = OCG_IUSED_OFF;
		o[CG_FREEOFF] = OCG_FREE_OFF;
		o[CG_NEXTFREEOFF] = OCG_FREE_OFF + (o[CG_NDBLK] + 7) / 8;
		o[CG_TIME] = o[CG_TIME_OLD];
	} else {
		o[CG_IUSEDOFF] = u32(b + 92, big);
		o[CG_FREEOFF] = u32(b + 96, big);
		o[CG_NEXTFREEOFF] = u32(b + 100, big);
		o[CG_NIBLK] = u32(b + 116, big);
		o[CG_INITEDIBLK] = u32(b + 120, big);
		o[CG_TIME] = s64(b + 136, big);
	}
	/* Both maps must lie inside the buffer; int64 arithmetic cannot overflow
	 * from 32-bit inputs. */
	if (o[CG_FREEOFF] + (o[CG_NDBLK] + 7) / 8 > len || o[CG_IUSEDOFF] + (ipg + 7) / 8 > len)
		return -ERANGE;
	return old;
}

/* Where the fields we need sit in each dinode layout; width 8 means int64 (UFS2). */
struct dinode_layout {
	long long size;
	int uid, gid, dsize, blocks, bwidth, atime, mtime, ctime, twidth, gen, flags, db, ib, pwidth;
};
static const struct dinode_layout ufs1_dinode = { 128, 112, 116, 8, 104, 4, 16, 24, 32, 4, 108, 100, 40, 88, 4 };
static const struct dinode_layout ufs2_dinode = { 256, 4, 8, 16, 24, 8, 32, 40, 48, 8, 80, 88, 112, 208, 8 };

static int64_t sized(const uint8_t *p, int width, int big) { return width == 8 ? s64(p, big) : s32(p, big); }

/* Decode the dinode at byte `off` of the buffer: UFS1 (128 bytes) or UFS2 (256). */
int shim_ffs_inode_decode(const uint8_t *b, long long len, long long off, int ufs2, int big, int64_t *o)
{
	const struct dinode_layout *l = ufs2 ? &ufs2_dinode : &ufs1_dinode;
	if (!b || !o || off < 0 || len < 0 || off > len - l->size)
		return -ERANGE;
	const uint8_t *p = b + off;
	memset(o, 0, sizeof(int64_t) * INO_SLOTS);
	o[INO_MODE] = get16(p, big);
	o[INO_NLINK] = s16(p + 2, big);
	o[INO_UID] = u32(p + l->uid, big);
	o[INO_GID] = u32(p + l->gid, big);
	o[INO_SIZE] = s64(p + l->dsize, big);
	o[INO_BLOCKS] = l->bwidth == 8 ? s64(p + l->blocks, big) : u32(p + l->blocks, big);
	o[INO_ATIME] = sized(p + l->atime, l->twidth, big);
	o[INO_MTIME] = sized(p + l->mtime, l->twidth, big);
	o[INO_CTIME] = sized(p + l->ctime, l->twidth, big);
	o[INO_GEN] = u32(p + l->gen, big);
	o[INO_FLAGS] = u32(p + l->flags, big);
	for (int i = 0; i < 12; i++)
		o[INO_DB0 + i] = sized(p + l->db + l->pwidth * i, l->pwidth, big);
	for (int i = 0; i < 3; i++)
		o[INO_IB0 + i] = sized(p + l->ib + l->pwidth * i, l->pwidth, big);
	return 0;
}

/* Decode the directory entry at byte `off`. 4.4BSD entries have u8 d_type and u8
 * d_namlen at 6/7; old (4.2/4.3, Sun) ones a u16 d_namlen there. Returns 0, or
 * -ERANGE when the header or the name (plus its NUL) would pass the buffer end. */
int shim_ffs_dirent_decode(const uint8_t *b, long long len, long long off, int big, int oldfmt, int64_t *o)
{
	if (!b || !o || off < 0 || len < 0 || off > len - 8)
		return -ERANGE;
	const uint8_t *p = b + off;
	memset(o, 0, sizeof(int64_t) * DIR_SLOTS);
	o[DIR_INO] = u32(p, big);
	o[DIR_RECLEN] = get16(p + 4, big);
	if (oldfmt) {
		o[DIR_NAMLEN] = get16(p + 6, big);
	} else {
		o[DIR_TYPE] = p[6];
		o[DIR_NAMLEN] = p[7];
	}
	o[DIR_NAMEOFF] = off + 8;
	o[DIR_MINLEN] = 8 + ((o[DIR_NAMLEN] + 1 + 3) & ~3LL);
	if (o[DIR_NAMEOFF] + o[DIR_NAMLEN] + 1 > len)
		return -ERANGE;
	return 0;
}

/* For each whole `unit`-byte piece of the buffer, store 1 in flags[i] when all of
 * its bytes are equal (a fragment of one repeated byte), else 0. Returns the count
 * of pieces examined. A scan primitive only; what to skip is the caller's choice. */
long long shim_ffs_uniform_map(const uint8_t *b, long long len, long long unit, uint8_t *flags)
{
	if (!b || !flags || unit <= 0 || len < 0)
		return -EINVAL;
	long long n = len / unit;
	for (long long i = 0; i < n; i++) {
		const uint8_t *p = b + i * unit;
		flags[i] = (uint8_t)(memcmp(p, p + 1, (size_t)unit - 1) == 0);
	}
	return n;
}
