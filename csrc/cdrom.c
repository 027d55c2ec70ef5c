/* CD-ROM and DVD ioctls (<linux/cdrom.h>). Thin wrappers: the value or -errno.
 * Addressing (LBA -> MSF), sector layouts and every decision live in TypeScript;
 * these functions only move bytes between the kernel and caller-owned buffers. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h> /* CDSL_CURRENT is INT_MAX and cdrom.h does not include limits.h */
#include <string.h>
#include <sys/ioctl.h>
#include <linux/cdrom.h>

/* CDS_NO_INFO, CDS_NO_DISC, CDS_TRAY_OPEN, CDS_DRIVE_NOT_READY, CDS_DISC_OK. */
int shim_cd_drive_status(int fd)
{
	int r = ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT);
	return r < 0 ? -errno : r;
}

/* CDS_AUDIO, CDS_DATA_1, CDS_DATA_2, CDS_XA_2_1, CDS_XA_2_2, CDS_MIXED, or a no-disc code. */
int shim_cd_disc_status(int fd)
{
	int r = ioctl(fd, CDROM_DISC_STATUS);
	return r < 0 ? -errno : r;
}

/* Last written block (LBA) of the disc. */
long long shim_cd_last_written(int fd)
{
	long last = 0;
	return ioctl(fd, CDROM_LAST_WRITTEN, &last) < 0 ? -errno : (long long)last;
}

/* The READ* ioctls take the address as a struct cdrom_msf at the start of the
 * buffer and overwrite the same buffer with the sector. `buf` must hold at least
 * the sector size of the mode (2352 raw, 2048 mode 1, 2336 mode 2). */
static int read_msf(int fd, unsigned long request, int minute, int second, int frame, void *buf)
{
	struct cdrom_msf msf;
	memset(&msf, 0, sizeof msf);
	msf.cdmsf_min0 = (unsigned char)minute;
	msf.cdmsf_sec0 = (unsigned char)second;
	msf.cdmsf_frame0 = (unsigned char)frame;
	memcpy(buf, &msf, sizeof msf);
	return ioctl(fd, request, buf) < 0 ? -errno : 0;
}

int shim_cd_read_raw(int fd, int minute, int second, int frame, void *buf)
{
	return read_msf(fd, CDROMREADRAW, minute, second, frame, buf);
}

int shim_cd_read_mode1(int fd, int minute, int second, int frame, void *buf)
{
	return read_msf(fd, CDROMREADMODE1, minute, second, frame, buf);
}

int shim_cd_read_mode2(int fd, int minute, int second, int frame, void *buf)
{
	return read_msf(fd, CDROMREADMODE2, minute, second, frame, buf);
}

int shim_cd_reset(int fd)
{
	return ioctl(fd, CDROMRESET) < 0 ? -errno : 0;
}

/* First and last track numbers from the TOC header, packed as first << 8 | last. */
int shim_cd_toc_header(int fd)
{
	struct cdrom_tochdr h;
	memset(&h, 0, sizeof h);
	if (ioctl(fd, CDROMREADTOCHDR, &h) < 0)
		return -errno;
	return (h.cdth_trk0 << 8) | h.cdth_trk1;
}

/* One TOC entry in LBA form. out[0..3] = control, adr, start LBA, data mode.
 * Track CDROM_LEADOUT (0xAA) gives the lead-out, i.e. the end of the last track. */
int shim_cd_toc_entry(int fd, int track, long long *out)
{
	struct cdrom_tocentry e;
	memset(&e, 0, sizeof e);
	e.cdte_track = (unsigned char)track;
	e.cdte_format = CDROM_LBA;
	if (ioctl(fd, CDROMREADTOCENTRY, &e) < 0)
		return -errno;
	out[0] = e.cdte_ctrl;
	out[1] = e.cdte_adr;
	out[2] = e.cdte_addr.lba;
	out[3] = e.cdte_datamode;
	return 0;
}

/* DVD physical format of layer 0. Succeeds only on DVD media, which is how a DVD
 * is told from a CD. out[0..3] = book type, book version, disc size, number of layers. */
int shim_dvd_physical(int fd, long long *out)
{
	dvd_struct s;
	memset(&s, 0, sizeof s);
	s.type = DVD_STRUCT_PHYSICAL;
	s.physical.layer_num = 0;
	if (ioctl(fd, DVD_READ_STRUCT, &s) < 0)
		return -errno;
	out[0] = s.physical.layer[0].book_type;
	out[1] = s.physical.layer[0].book_version;
	out[2] = s.physical.layer[0].disc_size;
	out[3] = s.physical.layer[0].nlayers + 1;
	return 0;
}
