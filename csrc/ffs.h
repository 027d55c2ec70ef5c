/* On-disk layouts of the Berkeley Fast File System (UFS1/UFS2), decoded into flat
 * int64 records so the TypeScript side reads them with one layout on every
 * architecture. The slot numbers below are mirrored in src/native/ffs.ts. */
#ifndef SALVAGE_FFS_H
#define SALVAGE_FFS_H

/* Superblock magic kinds returned by shim_ffs_sb_decode (0 = no known magic). */
enum ffs_kind {
	FFS_KIND_NONE = 0,
	FFS_KIND_UFS1 = 1,
	FFS_KIND_UFS2 = 2,
	FFS_KIND_UFS2EA = 3,
	FFS_KIND_BAD = 4,      /* FreeBSD FS_BAD_MAGIC: newfs never finished */
	FFS_KIND_SOLARIS_MTB = 5,
	FFS_KIND_HPUX = 6,
	FFS_KIND_LINUX_BW = 7,
	FFS_KIND_OSF_SEC = 8,
};

/* Superblock record slots. */
enum ffs_sb_slot {
	SB_KIND, SB_BIG_ENDIAN, SB_MAGIC,
	SB_SBLKNO, SB_CBLKNO, SB_IBLKNO, SB_DBLKNO, SB_CGOFFSET, SB_CGMASK,
	SB_OLD_TIME, SB_OLD_SIZE, SB_OLD_DSIZE, SB_NCG, SB_BSIZE, SB_FSIZE, SB_FRAG,
	SB_MINFREE, SB_BSHIFT, SB_FSHIFT, SB_FRAGSHIFT, SB_FSBTODB, SB_SBSIZE,
	SB_NINDIR, SB_INOPB, SB_OLD_CSADDR, SB_CSSIZE, SB_CGSIZE, SB_OLD_CPG,
	SB_IPG, SB_FPG,
	SB_OLD_NDIR, SB_OLD_NBFREE, SB_OLD_NIFREE, SB_OLD_NFFREE,
	SB_FMOD, SB_CLEAN, SB_RONLY, SB_OLD_FLAGS,
	SB_ID0, SB_ID1,
	SB_SBLOCKACTUALLOC, SB_SBLOCKLOC,
	SB_NDIR, SB_NBFREE, SB_NIFREE, SB_NFFREE,
	SB_TIME, SB_SIZE, SB_DSIZE, SB_CSADDR, SB_MTIME,
	SB_FLAGS, SB_MAXSYMLINKLEN, SB_INODEFMT, SB_STATE, SB_POSTBLFORMAT, SB_NRPOS,
	SB_SLOTS
};

/* Cylinder-group header record slots. */
enum ffs_cg_slot {
	CG_OLD_FORMAT, CG_TIME_OLD, CG_CGX, CG_NCYL, CG_NIBLK_OLD, CG_NDBLK,
	CG_NDIR, CG_NBFREE, CG_NIFREE, CG_NFFREE,
	CG_IUSEDOFF, CG_FREEOFF, CG_NEXTFREEOFF, CG_NIBLK, CG_INITEDIBLK, CG_TIME,
	CG_SLOTS
};

/* Inode record slots (UFS1 128-byte and UFS2 256-byte dinodes). */
enum ffs_ino_slot {
	INO_MODE, INO_NLINK, INO_UID, INO_GID, INO_SIZE, INO_BLOCKS,
	INO_ATIME, INO_MTIME, INO_CTIME, INO_GEN, INO_FLAGS,
	INO_DB0, /* 12 direct pointers */
	INO_IB0 = INO_DB0 + 12, /* 3 indirect pointers */
	INO_SLOTS = INO_IB0 + 3
};

/* Directory entry record slots. */
enum ffs_dir_slot {
	DIR_INO, DIR_RECLEN, DIR_TYPE, DIR_NAMLEN, DIR_NAMEOFF, DIR_MINLEN,
	DIR_SLOTS
};

#endif
