#!/usr/bin/env python3
"""Regenerate the sample attachments in content/files/ (standard library only).

    python tools/make_sample_files.py [--out content/files]

Every file is written deterministically (no timestamps, fixed zip dates), so
running the script twice gives byte-identical output:

* PDF  - hand-written PDF 1.4, Helvetica, plain ASCII text, correct xref table;
* XLSX / DOCX - minimal valid Office Open XML packages made with zipfile;
* PNG  - 640x360 RGB banners drawn with a 5x7 bitmap font, zlib + struct.
"""
import argparse
import os
import struct
import textwrap
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "content", "files")

# --------------------------------------------------------------------------- PDF

HEADER_LEFT = ["UY BAN NHAN DAN", "HUYEN HAM TAN"]
HEADER_RIGHT = ["CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc"]


def _pdf_escape(text):
    text.encode("ascii")  # the sample PDFs are plain ASCII on purpose
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(doc, page_no, page_count, paragraphs):
    ops = []

    def text(x, y, size, s, bold=False):
        font = "/F2" if bold else "/F1"
        ops.append("BT %s %d Tf %d %d Td (%s) Tj ET" % (font, size, x, y, _pdf_escape(s)))

    y = 790
    if page_no == 1:
        for i, line in enumerate(HEADER_LEFT):
            text(60, y - 14 * i, 11, line, bold=True)
        for i, line in enumerate(HEADER_RIGHT):
            text(300, y - 14 * i, 11, line, bold=(i == 0))
        text(60, y - 36, 10, "So: " + doc["number"])
        text(300, y - 36, 10, doc["place_date"])
        y -= 80
        for line in textwrap.wrap(doc["title"].upper(), 60):
            text(90, y, 13, line, bold=True)
            y -= 18
        y -= 10
    else:
        text(60, y, 9, doc["number"] + " - " + doc["title"])
        y -= 30
    for para in paragraphs:
        bold = para.startswith("#")
        para = para.lstrip("# ")
        for line in textwrap.wrap(para, 88) or [""]:
            text(60, y, 10, line, bold=bold)
            y -= 15
        y -= 6
    if page_no == page_count:
        y -= 20
        for i, line in enumerate(doc["signature"]):
            text(330, y - 15 * i, 10, line, bold=(i < 2))
    text(270, 40, 9, "Trang %d/%d" % (page_no, page_count))
    ops.append("0.5 w 60 55 m 535 55 l S")
    return ("\n".join(ops) + "\n").encode("ascii")


def make_pdf(doc):
    """Return the bytes of a small multi-page PDF for one document."""
    pages = doc["pages"]
    n = len(pages)
    objects = {}
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join("%d 0 R" % (6 + 2 * i) for i in range(n))
    objects[2] = ("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)).encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    objects[5] = ("<< /Title (%s) /Author (UBND huyen Ham Tan) /Producer (make_sample_files.py) >>"
                  % _pdf_escape(doc["number"] + " - " + doc["title"])).encode()
    for i, paragraphs in enumerate(pages):
        page_obj, content_obj = 6 + 2 * i, 7 + 2 * i
        objects[page_obj] = (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % content_obj
        ).encode()
        stream = _page_stream(doc, i + 1, n, paragraphs)
        objects[content_obj] = (b"<< /Length %d >>\nstream\n" % len(stream)) + stream + b"endstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


SIGN_CHU_TICH = ["TM. UY BAN NHAN DAN", "KT. CHU TICH", "PHO CHU TICH", "", "(da ky)", "", "Le Van Hoa"]
SIGN_BCD = ["TM. BAN CHI DAO LIEN NGANH", "TRUONG BAN", "", "(da ky)", "", "Le Van Hoa"]

PDFS = [
    {
        "file": "quyet-dinh-2345-qd-ubnd.pdf",
        "number": "2345/QD-UBND",
        "place_date": "Ham Tan, ngay 15 thang 9 nam 2021",
        "title": "Quyet dinh thanh lap Doan kiem tra cong tac cai cach hanh chinh nam 2021",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "CHU TICH UY BAN NHAN DAN HUYEN HAM TAN",
                "Can cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015; Ke hoach cai cach hanh chinh "
                "nam 2021 cua UBND huyen; xet de nghi cua Truong phong Noi vu,",
                "# QUYET DINH:",
                "Dieu 1. Thanh lap Doan kiem tra cong tac cai cach hanh chinh nam 2021 tai UBND cac xa, "
                "thi tran: Tan Xuan, Tan Ha, Tan Nghia, Song Phan, Tan Phuc va Tan Duc. Thoi gian kiem tra "
                "tu ngay 01/10/2021 den ngay 06/10/2021.",
                "Dieu 2. Noi dung kiem tra: cong tac chi dao, dieu hanh ve CCHC; cai cach the che; cai cach "
                "thu tuc hanh chinh; cai cach to chuc bo may; cai cach che do cong vu; cai cach tai chinh "
                "cong; xay dung chinh quyen dien tu; ap dung TCVN ISO 9001:2015.",
            ],
            [
                "Dieu 3. Thanh phan Doan kiem tra gom: Pho Chu tich UBND huyen - Truong doan; Truong "
                "phong Noi vu - Pho Truong doan; dai dien Van phong HDND va UBND huyen, Phong Tu phap, "
                "Phong Van hoa va Thong tin, Phong Tai chinh - Ke hoach - thanh vien.",
                "Dieu 4. Doan kiem tra thuc hien nhiem vu theo dung quy dinh, bao dam cong tac phong, "
                "chong dich Covid-19; bao cao ket qua cho Chu tich UBND huyen cham nhat ngay 07/10/2021.",
                "Dieu 5. Chanh Van phong HDND va UBND huyen, Truong phong Noi vu, Chu tich UBND cac xa, "
                "thi tran co ten tai Dieu 1 va cac thanh vien Doan kiem tra chiu trach nhiem thi hanh "
                "Quyet dinh nay ke tu ngay ky.",
                "Noi nhan: Nhu Dieu 5; So Noi vu (b/c); Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "ket-luan-123-kl-ubnd.pdf",
        "number": "123/KL-UBND",
        "place_date": "Ham Tan, ngay 07 thang 10 nam 2021",
        "title": "Ket luan kiem tra cong tac cai cach hanh chinh nam 2021 tai UBND cac xa, thi tran",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "Thuc hien Quyet dinh so 2345/QD-UBND ngay 15/9/2021 cua Chu tich UBND huyen, tu ngay "
                "01/10/2021 den ngay 06/10/2021 Doan kiem tra da kiem tra truc tiep tai UBND 06 xa, thi "
                "tran: Tan Xuan, Tan Ha, Tan Nghia, Song Phan, Tan Phuc va Tan Duc.",
                "# I. KET QUA DAT DUOC",
                "UBND cac xa, thi tran da ban hanh tuong doi day du cac van ban ve CCHC; niem yet cong "
                "khai thu tuc hanh chinh dung quy dinh; duy tri ap dung TCVN ISO 9001:2015; to chuc tu "
                "kiem tra cong tac CCHC tai don vi.",
            ],
            [
                "# II. HAN CHE, TON TAI",
                "1. Chua phat sinh ho so giai quyet TTHC qua dich vu cong truc tuyen muc do 3, 4 "
                "(Tan Xuan, Tan Ha, Song Phan).",
                "2. Tiep nhan, tra ket qua qua dich vu buu chinh cong ich con it, chua huong dan day du "
                "cho nguoi dan (Tan Phuc, Tan Duc).",
                "3. Cong tac tuyen truyen CCHC chua sau rong; chua co chuyen muc CCHC tren trang thong "
                "tin dien tu (Tan Nghia, Tan Ha).",
                "4. Ha tang CNTT tai Bo phan mot cua con thieu, may tinh cau hinh thap, chua co may "
                "quet tai lieu (Song Phan, Tan Duc).",
            ],
            [
                "# III. KIEN NGHI VA THOI HAN KHAC PHUC",
                "Chu tich UBND cac xa, thi tran chi dao khac phuc cac han che neu tren va bao cao ket "
                "qua ve UBND huyen (qua Phong Noi vu) truoc ngay 31/12/2021.",
                "Phong Noi vu theo doi, tong hop viec khac phuc va de xuat bieu duong cac don vi lam tot; "
                "ket qua kiem tra la can cu danh gia Chi so CCHC nam 2021 cua cac xa, thi tran.",
                "Noi nhan: So Noi vu; TT Huyen uy; TT HDND huyen; UBND cac xa, thi tran; Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "bao-cao-khac-phuc-cchc-2021.pdf",
        "number": "18/BC-UBND",
        "place_date": "Ham Tan, ngay 18 thang 01 nam 2022",
        "title": "Bao cao ket qua khac phuc han che sau kiem tra cai cach hanh chinh nam 2021",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "Thuc hien Ket luan so 123/KL-UBND ngay 07/10/2021, den ngay 31/12/2021 ca 06 xa, thi "
                "tran duoc kiem tra da bao cao ket qua khac phuc.",
                "Tan Xuan, Tan Ha, Song Phan: da phat sinh ho so dich vu cong truc tuyen muc do 3, 4.",
                "Tan Phuc, Tan Duc: da niem yet huong dan va tiep nhan ho so qua buu chinh cong ich.",
            ],
            [
                "Tan Nghia, Tan Ha: da mo chuyen muc CCHC tren trang thong tin dien tu, cap nhat hang thang.",
                "Song Phan, Tan Duc: da trang bi may tinh va may quet tai lieu cho Bo phan mot cua.",
                "Ket luan: 06/06 don vi hoan thanh khac phuc dung thoi han.",
            ],
        ],
    },
    {
        "file": "ke-hoach-kiem-tra-attp-2023.pdf",
        "number": "96/KH-BCD",
        "place_date": "Ham Tan, ngay 19 thang 4 nam 2023",
        "title": "Ke hoach kiem tra lien nganh ve an toan thuc pham trong Thang hanh dong nam 2023",
        "signature": SIGN_BCD,
        "pages": [
            [
                "Thuc hien Quyet dinh so 1187/QD-UBND ngay 18/4/2023 cua UBND huyen, Ban Chi dao lien "
                "nganh ve ve sinh an toan thuc pham huyen xay dung ke hoach kiem tra nhu sau:",
                "1. Doi tuong: co so san xuat, che bien, kinh doanh thuc pham, bep an tap the, kinh doanh "
                "dich vu an uong tai Tan Nghia, Tan Minh, Tan Thang, Thang Hai.",
                "2. Thoi gian: tu ngay 04/5/2023 den ngay 12/5/2023.",
            ],
            [
                "3. Noi dung: ho so phap ly, giay chung nhan co so du dieu kien ATTP, giay xac nhan kien "
                "thuc, kham suc khoe cua nguoi truc tiep che bien, nguon goc nguyen lieu, dieu kien ve "
                "sinh co so; lay mau kiem nghiem nhanh.",
                "4. Xu ly: nhac nho, huong dan khac phuc; lap bien ban vi pham va chuyen co quan co tham "
                "quyen xu ly theo quy dinh.",
            ],
        ],
    },
    {
        "file": "ket-luan-87-kl-ubnd-attp.pdf",
        "number": "87/KL-UBND",
        "place_date": "Ham Tan, ngay 22 thang 5 nam 2023",
        "title": "Ket luan kiem tra lien nganh ve an toan thuc pham nam 2023",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "Tu ngay 04/5/2023 den ngay 12/5/2023 Doan kiem tra lien nganh da kiem tra 48 co so tai "
                "thi tran Tan Nghia, thi tran Tan Minh, xa Tan Thang va xa Thang Hai.",
                "So co so dat yeu cau: 39/48 (81,3%). Test nhanh 126 mau, 4 mau khong dat.",
            ],
            [
                "# HAN CHE THEO TUNG DON VI",
                "Tan Nghia: 3 co so chua co giay xac nhan kien thuc ATTP.",
                "Tan Minh: cho Tan Minh chua bo tri khu vuc kinh doanh thuc pham tuoi song rieng.",
                "Tan Thang: 2 bep an tap the truong mam non chua luu mau thuc pham 24 gio.",
                "Thang Hai: co so che bien hai san kho chua co giay chung nhan du dieu kien ATTP.",
            ],
            [
                "# KIEN NGHI",
                "UBND cac xa, thi tran chi dao khac phuc va bao cao ket qua ve Ban Chi dao truoc ngay "
                "31/12/2023. Phong Y te theo doi, tong hop.",
                "Noi nhan: BCD lien nganh tinh; UBND cac xa, thi tran; Luu: VT, YT.",
            ],
        ],
    },
    {
        "file": "quyet-dinh-1520-qd-ubnd.pdf",
        "number": "1520/QD-UBND",
        "place_date": "Ham Tan, ngay 23 thang 5 nam 2025",
        "title": "Quyet dinh kiem tra cong tac tiep cong dan, giai quyet khieu nai, to cao nam 2025",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "Kiem tra viec thuc hien Luat Tiep cong dan, Luat Khieu nai, Luat To cao tai UBND cac "
                "xa Tan Duc, Tan Phuc, Song Phan, Tan Thien va Phong Tai nguyen va Moi truong.",
                "Thoi gian kiem tra: tu ngay 09/6/2025 den ngay 20/6/2025. Thoi ky kiem tra: tu "
                "01/01/2024 den 31/5/2025.",
                "Noi dung: viec bo tri noi tiep cong dan, so theo doi, tiep cong dan dinh ky cua nguoi "
                "dung dau; tiep nhan, phan loai, xu ly don; giai quyet khieu nai, to cao dung thoi han.",
            ],
            [
                "Thanh phan Doan kiem tra: Pho Chu tich UBND huyen - Truong doan; Truong Ban Tiep cong "
                "dan huyen - Pho Truong doan; dai dien Van phong HDND va UBND huyen, Phong Tu phap - "
                "thanh vien.",
                "Cac don vi duoc kiem tra chuan bi bao cao va ho so, so sach lien quan; bo tri lanh dao "
                "lam viec voi Doan kiem tra theo lich.",
                "Noi nhan: Nhu tren; Thanh tra tinh (b/c); Luu: VT, BTCD.",
            ],
        ],
    },
    {
        "file": "thong-bao-tuyen-dung-2022.pdf",
        "number": "45/TB-UBND",
        "place_date": "Ham Tan, ngay 01 thang 3 nam 2022",
        "title": "Thong bao tuyen dung cong chuc cap xa nam 2022",
        "signature": SIGN_CHU_TICH,
        "pages": [
            [
                "1. Chi tieu: 07 cong chuc cap xa: Van phong - Thong ke (2), Tai chinh - Ke toan (1), "
                "Tu phap - Ho tich (2), Dia chinh - Xay dung (2).",
                "2. Dieu kien: tot nghiep dai hoc tro len dung chuyen nganh; cu tru tai huyen Ham Tan.",
            ],
            [
                "3. Ho so: Phieu dang ky du tuyen theo mau; nop truc tiep tai Phong Noi vu huyen hoac qua "
                "buu chinh tu ngay 02/3/2022 den 17 gio ngay 31/3/2022.",
                "4. Hinh thuc: xet tuyen. Thong tin chi tiet tai Cong thong tin dien tu huyen.",
            ],
        ],
    },
]

# ------------------------------------------------------------- Office Open XML

ZIP_DATE = (2022, 1, 1, 0, 0, 0)


def _zip(entries):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def _xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

TTHC_ROWS = [
    ["STT", "Tên thủ tục hành chính", "Lĩnh vực", "Mức độ", "Đơn vị thực hiện"],
    [1, "Đăng ký khai sinh", "Hộ tịch", "4", "UBND cấp xã"],
    [2, "Đăng ký khai tử", "Hộ tịch", "4", "UBND cấp xã"],
    [3, "Cấp bản sao trích lục hộ tịch", "Hộ tịch", "4", "UBND cấp xã"],
    [4, "Chứng thực bản sao từ bản chính", "Chứng thực", "3", "UBND cấp xã"],
    [5, "Đăng ký kết hôn", "Hộ tịch", "3", "UBND cấp xã"],
    [6, "Xác nhận tình trạng hôn nhân", "Hộ tịch", "4", "UBND cấp xã"],
    [7, "Đăng ký hoạt động tín ngưỡng", "Tôn giáo", "3", "UBND cấp xã"],
    [8, "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "4", "UBND cấp huyện"],
    [9, "Cấp giấy chứng nhận đăng ký hộ kinh doanh", "Đăng ký kinh doanh", "4", "UBND cấp huyện"],
    [10, "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", "3", "UBND cấp huyện"],
]


def _col(i):
    return "ABCDEFGHIJ"[i]


def make_xlsx(rows):
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = "%s%d" % (_col(c), r)
            style = ' s="1"' if r == 1 else ""
            if isinstance(value, int):
                cells.append('<c r="%s"%s><v>%d</v></c>' % (ref, style, value))
            else:
                cells.append('<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (ref, style, _xml_escape(value)))
        sheet_rows.append('<row r="%d">%s</row>' % (r, "".join(cells)))
    last = "%s%d" % (_col(len(rows[0]) - 1), len(rows))
    sheet = (
        XML_DECL
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + '<dimension ref="A1:%s"/>' % last
        + '<cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="52" customWidth="1"/>'
        + '<col min="3" max="3" width="20" customWidth="1"/><col min="4" max="4" width="9" customWidth="1"/>'
        + '<col min="5" max="5" width="18" customWidth="1"/></cols>'
        + "<sheetData>%s</sheetData></worksheet>" % "".join(sheet_rows)
    )
    entries = [
        ("[Content_Types].xml", XML_DECL
         + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         + '<Default Extension="xml" ContentType="application/xml"/>'
         + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         + "</Types>"),
        ("_rels/.rels", XML_DECL
         + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         + "</Relationships>"),
        ("xl/workbook.xml", XML_DECL
         + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         + '<sheets><sheet name="Danh muc TTHC" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", XML_DECL
         + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
         + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
         + "</Relationships>"),
        ("xl/styles.xml", XML_DECL
         + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         + '<fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts>'
         + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
         + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
         + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
         + '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
         + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
         + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
         + "</styleSheet>"),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    return _zip(entries)


DOCX_PARAGRAPHS = [
    ("center", True, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("center", True, "Độc lập - Tự do - Hạnh phúc"),
    ("center", True, "PHIẾU ĐĂNG KÝ DỰ TUYỂN CÔNG CHỨC CẤP XÃ NĂM 2022"),
    ("left", False, "Vị trí dự tuyển: ........................................................"),
    ("left", False, "Đơn vị dự tuyển (xã, thị trấn): ......................................."),
    ("left", True, "I. THÔNG TIN CÁ NHÂN"),
    ("left", False, "Họ và tên: ................................ Ngày, tháng, năm sinh: ............"),
    ("left", False, "Số CCCD: ..................... Ngày cấp: .............. Nơi cấp: ..............."),
    ("left", False, "Nơi cư trú: ..................................................................."),
    ("left", False, "Điện thoại: ........................ Email: ................................"),
    ("left", True, "II. TRÌNH ĐỘ ĐÀO TẠO"),
    ("left", False, "Trình độ chuyên môn: ................ Chuyên ngành: ......................."),
    ("left", True, "III. CAM ĐOAN"),
    ("left", False, "Tôi xin cam đoan những lời khai trên là đúng sự thật. Nếu sai, tôi xin chịu "
                    "trách nhiệm trước pháp luật và bị hủy kết quả tuyển dụng."),
    ("right", False, "Hàm Tân, ngày ..... tháng ..... năm 2022"),
    ("right", True, "NGƯỜI ĐĂNG KÝ"),
]


def make_docx(paragraphs):
    body = []
    for align, bold, text in paragraphs:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        body.append('<w:p><w:pPr><w:jc w:val="%s"/></w:pPr><w:r>%s<w:t xml:space="preserve">%s</w:t></w:r></w:p>'
                    % (align, rpr, _xml_escape(text)))
    document = (
        XML_DECL
        + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        + '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/>'
        + "</w:sectPr></w:body></w:document>"
    )
    entries = [
        ("[Content_Types].xml", XML_DECL
         + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         + '<Default Extension="xml" ContentType="application/xml"/>'
         + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
         + "</Types>"),
        ("_rels/.rels", XML_DECL
         + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
         + "</Relationships>"),
        ("word/document.xml", document),
    ]
    return _zip(entries)


# --------------------------------------------------------------------------- PNG

FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000", "/": "00001 00001 00010 00100 01000 10000 10000",
    ":": "00000 01100 01100 00000 01100 01100 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}


class Canvas:
    def __init__(self, w, h, color):
        self.w, self.h = w, h
        self.px = [[color] * w for _ in range(h)]

    def rect(self, x0, y0, x1, y1, color):
        for y in range(max(0, y0), min(self.h, y1)):
            row = self.px[y]
            for x in range(max(0, x0), min(self.w, x1)):
                row[x] = color

    def vgradient(self, y0, y1, top, bottom):
        for y in range(y0, y1):
            t = (y - y0) / max(1, y1 - y0 - 1)
            c = tuple(int(round(a + (b - a) * t)) for a, b in zip(top, bottom))
            self.px[y] = [c] * self.w

    def text(self, x, y, s, scale, color, center=False):
        width = len(s) * 6 * scale - scale
        if center:
            x = (self.w - width) // 2
        for ch in s:
            rows = FONT[ch].split()
            for ry, bits in enumerate(rows):
                for rx, bit in enumerate(bits):
                    if bit == "1":
                        self.rect(x + rx * scale, y + ry * scale, x + (rx + 1) * scale, y + (ry + 1) * scale, color)
            x += 6 * scale

    def star(self, cx, cy, r, color):
        import math

        pts = []
        for i in range(10):
            ang = -math.pi / 2 + i * math.pi / 5
            rad = r if i % 2 == 0 else r * 0.382
            pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
        for y in range(int(cy - r), int(cy + r) + 1):
            xs = []
            for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
                if (y1 <= y < y2) or (y2 <= y < y1):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
            xs.sort()
            for a, b in zip(xs[::2], xs[1::2]):
                self.rect(int(round(a)), y, int(round(b)), y + 1, color)

    def png(self):
        raw = bytearray()
        for row in self.px:
            raw.append(0)
            for c in row:
                raw += bytes(c)

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        ihdr = struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def banner_doan_kiem_tra():
    c = Canvas(640, 360, (255, 255, 255))
    c.vgradient(0, 360, (214, 234, 248), (250, 252, 255))
    c.rect(0, 0, 640, 64, (176, 28, 36))
    c.star(52, 32, 22, (255, 214, 0))
    c.text(90, 18, "UBND HUYEN HAM TAN", 4, (255, 255, 255))
    c.text(0, 120, "DOAN KIEM TRA CCHC", 5, (20, 60, 120), center=True)
    c.text(0, 175, "NAM 2021", 5, (20, 60, 120), center=True)
    c.rect(120, 232, 520, 236, (176, 28, 36))
    c.text(0, 256, "XA TAN XUAN 01/10/2021", 3, (60, 60, 60), center=True)
    c.rect(0, 330, 640, 360, (20, 60, 120))
    c.text(0, 340, "HAMTAN.EXAMPLE.GOV.VN", 2, (255, 255, 255), center=True)
    return c.png()


def banner_chuyen_doi_so():
    c = Canvas(640, 360, (0, 0, 0))
    c.vgradient(0, 360, (8, 60, 130), (0, 150, 200))
    for y in range(20, 340, 40):
        for x in range(20, 640, 40):
            c.rect(x, y, x + 4, y + 4, (120, 200, 240))
    c.rect(60, 90, 580, 270, (255, 255, 255))
    c.text(0, 118, "CHUYEN DOI SO", 6, (8, 60, 130), center=True)
    c.text(0, 190, "NGAY 10/10", 5, (200, 30, 40), center=True)
    c.text(0, 300, "HUYEN HAM TAN - 2022", 3, (255, 255, 255), center=True)
    return c.png()


# -------------------------------------------------------------------------- main


def build(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    files = {}
    for doc in PDFS:
        files[doc["file"]] = make_pdf(doc)
    files["danh-muc-tthc-truc-tuyen-2022.xlsx"] = make_xlsx(TTHC_ROWS)
    files["phieu-dang-ky-du-tuyen-2022.docx"] = make_docx(DOCX_PARAGRAPHS)
    files["doan-kiem-tra.png"] = banner_doan_kiem_tra()
    files["banner-chuyen-doi-so.png"] = banner_chuyen_doi_so()
    for name, data in sorted(files.items()):
        with open(os.path.join(out_dir, name), "wb") as fh:
            fh.write(data)
        print("%-40s %7d bytes" % (name, len(data)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: content/files/)")
    build(ap.parse_args().out)
