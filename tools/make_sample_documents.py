#!/usr/bin/env python3
# Sample content of the "van ban" registry (content/van-ban/): the PDF attachments.
#
# The numbering (so/ky hieu per type: QD-UBND, KH-UBND, BC-UBND, CT-UBND, TB-..., NQ-HDND,
# UBND-VP for cong van), the trich yeu style, the "Can cu ..." openings, the articles, the
# "Noi nhan" lines and the signature blocks (TM. / KT. / TL. ..., chuc vu, ho ten) follow these
# public pages of Vietnamese government portals and legal-document libraries (layout and
# wording only; every number, date, figure and person in the samples is invented, and the
# leaders' names are those of content/trang/gioi-thieu.md, which are fictitious):
#
# - https://laocai.gov.vn/sites/bacha/thongbaobaocao/baocaotinhhinhKTXH/Trang/20120720080844.aspx
#   (UBND huyen Bac Ha, "So: 198/BC-UBND", Bao cao ... 6 thang dau nam; phuong huong nhiem vu 6 thang cuoi nam)
# - https://aluoi.thuathienhue.gov.vn/?gd=21&cn=161&tc=27667
#   (UBND huyen A Luoi, Bao cao tinh hinh kinh te - xa hoi 6 thang dau nam, nhiem vu 6 thang cuoi nam 2021)
# - http://dakrlap.daknong.gov.vn/ke-hoach-hoat-dong-cua-ban-chi-dao-chuyen-doi-so-huyen-dak-rlap-nam-2023
#   ("Ke hoach so 358/KH-UBND ngay 18/01/2023 cua UBND huyen ve chuyen doi so huyen nam 2023")
# - https://www.tayninh.gov.vn/vi/news/thong-tin-cai-cach-hanh-chinh/page-338
#   ("Ke hoach so 1173/KH-UBND trien khai cong tac kiem tra thuc hien cai cach hanh chinh")
# - https://nganson.backan.gov.vn/index.php?com=tintuc_ct&id_news=1331
#   (Thong bao lich tiep cong dan cua Chu tich UBND huyen nam 2021, dang boi Van phong HDND-UBND)
# - https://tayninh.gov.vn/vi/news/lich-tiep-dan/l-ch-ti-p-c-ng-d-n-n-m-2021-t-i-tr-s-ti-p-c-ng-d-n-t-nh-39450.html
#   (Van phong ... HDND va UBND thong bao lich tiep cong dan)
# - https://tandoan.langson.gov.vn/tin-tuc-su-kien/thong-bao-lich-tiep-cong-dan-cua-ubnd-xa-tan-doan-nam-2026.html
#   (can cu Luat Tiep cong dan, Nghi dinh 64/2014/ND-CP, Thong tu 04/2021/TT-TTCP)
# - https://nhansu.vn/van-ban-phap-luat/Chi-thi-18-CT-UBND-2025-tang-cuong-ky-cuong-ky-luat-hanh-chinh-Hue-687410.html
#   (Chi thi so 18/CT-UBND tang cuong ky cuong, ky luat hanh chinh; fields so hieu, ngay ban hanh,
#   ngay co hieu luc, loai van ban, co quan ban hanh, nguoi ky, linh vuc)
# - https://vpubnd.quangnam.gov.vn/webcenter/portal/vpubnd/pages_tin-tuc/chi-tiet-tin?dDocName=PORTAL502642
#   (Cong van so 2577/UBND-NCKS "ve viec tang cuong chap hanh ky luat, ky cuong hanh chinh")
# - https://ls1.hethongphapluat.com/nghi-quyet-07-2016-nq-hdnd-quy-dinh-nguyen-tac-tieu-chi-dinh-muc-phan-bo-von-dau-tu-phat-trien-nguon-ngan-sach-nha-nuoc-giai-doan-2016-2020-tinh-binh-phuoc.html
#   (Nghi quyet HDND: "Xet To trinh ...; Bao cao tham tra ...", "QUYET NGHI", thong qua ngay ..., co hieu luc tu ngay ...)
# - https://hethongphapluat.vn/quyet-dinh-888-qd-ubnd-nam-2016-ve-danh-muc-thu-tuc-hanh-chinh-thuc-hien-co-che-mot-cua-mot-cua-lien-thong-tai-uy-ban-nhan-dan-huyen-thi-xa-thanh-pho-tinh-thua-thien-hue.html
#   (Quyet dinh ban hanh danh muc TTHC mot cua tai UBND cap huyen, "thay the cac Quyet dinh so ...")
# - https://vanbanphapluat.co/quyet-dinh-119-qd-ubnd-bo-sung-thu-tuc-hanh-chinh
#   (trang van ban ghi "da duoc thay the boi Quyet dinh 366/QD-UBND")
# - https://sub.dost-dongnai.gov.vn/xuanphu/Pages/quychelamviec.aspx
#   and http://bathuoc.thanhhoa.gov.vn/portal/Pages/Uy-ban-nhan-dan-huyen.aspx
#   (Quy che lam viec cua UBND nhiem ky 2021-2026; Chuong I, Dieu 1 Pham vi, doi tuong dieu chinh)
# - https://raw.githubusercontent.com/21ts444/thcshoangluong/main/cong-van-van-ban/thong-bao-gioi-thieu/ban-hanh-quy-dinh-chuc-nang-nhiem-vu-quyen-han-va-co-cau-to-.html
#   (registry entry of a UBND huyen: so hieu, co quan ban hanh, ngay hieu luc, trang thai,
#   "Nguoi ky: Chu tich UBND huyen - ...")
"""Write the PDF attachments of the sample document registry (standard library only).

    python tools/make_sample_documents.py [--out content/files/van-ban]

The documents themselves are content/van-ban/*.md; this script writes the files they attach
under /files/van-ban/. It reuses the hand-written PDF 1.4 writer of make_sample_files.py
(Helvetica, plain ASCII text, no timestamps), so running it twice gives byte-identical files.
The two decisions that the older posts already attach (quyet-dinh-2345-qd-ubnd.pdf and
quyet-dinh-1520-qd-ubnd.pdf, in content/files/) stay where make_sample_files.py writes them.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample_files  # noqa: E402  (the PDF writer: make_sample_files.make_pdf)

DEFAULT_OUT = os.path.join(make_sample_files.ROOT, "content", "files", "van-ban")

# The left header block (co quan ban hanh) of each issuer; make_pdf reads
# make_sample_files.HEADER_LEFT, so render() swaps it for the time of one document.
HEADERS = {
    "ubnd": ["UY BAN NHAN DAN", "HUYEN HAM TAN"],
    "hdnd": ["HOI DONG NHAN DAN", "HUYEN HAM TAN"],
    "vp": ["UBND HUYEN HAM TAN", "VAN PHONG HDND VA UBND"],
    "pnv": ["UBND HUYEN HAM TAN", "PHONG NOI VU"],
    "ubnd-mttq": ["UBND HUYEN HAM TAN -", "UY BAN MTTQ VN HUYEN"],
}

# Signature blocks (the first two lines are bold).
CHU_TICH = ["TM. UY BAN NHAN DAN", "CHU TICH", "", "(da ky)", "", "Tran Quoc Huy"]
PCT_HOA = ["TM. UY BAN NHAN DAN", "KT. CHU TICH", "PHO CHU TICH", "", "(da ky)", "", "Le Van Hoa"]
QD_PCT_HOA = ["KT. CHU TICH", "PHO CHU TICH", "", "(da ky)", "", "Le Van Hoa"]
CT_CHU_TICH = ["CHU TICH", "", "", "(da ky)", "", "Tran Quoc Huy"]
HDND_CHU_TICH = ["CHU TICH", "", "", "(da ky)", "", "Huynh Cong Dinh"]
CHANH_VP = ["CHANH VAN PHONG", "", "", "(da ky)", "", "Do Thanh Tung"]
TRUONG_PNV = ["TRUONG PHONG", "", "", "(da ky)", "", "Ngo Thi My Duyen"]
QC_HAI_BEN = ["TM. UY BAN NHAN DAN HUYEN", "CHU TICH", "(da ky)", "Tran Quoc Huy", "",
              "TM. BTT UY BAN MTTQ VN HUYEN", "CHU TICH", "(da ky)", "Truong Thi Kim Oanh"]


def place_date(iso):
    """'Ham Tan, ngay 05 thang 01 nam 2025': day below 10 and months 1, 2 written with a zero."""
    year, month, day = (int(x) for x in iso.split("-"))
    return "Ham Tan, ngay %02d thang %s nam %d" % (day, "%02d" % month if month < 3 else str(month), year)


DOCS = [
    {
        "file": "18-kh-ubnd-2021.pdf",
        "issuer": "ubnd",
        "number": "18/KH-UBND",
        "signed": "2021-01-22",
        "title": "Ke hoach cai cach hanh chinh nha nuoc nam 2021 tren dia ban huyen Ham Tan",
        "signature": PCT_HOA,
        "pages": [
            [
                "Thuc hien Ke hoach cai cach hanh chinh nha nuoc nam 2021 cua UBND tinh Binh Thuan, UBND "
                "huyen ban hanh Ke hoach cai cach hanh chinh (CCHC) nam 2021 nhu sau:",
                "# I. MUC TIEU, CHI TIEU",
                "1. 100% thu tuc hanh chinh (TTHC) duoc cong khai day du, dung quy dinh tai Bo phan mot cua "
                "cap huyen va cap xa.",
                "2. Ty le ho so TTHC giai quyet dung han dat tren 98%; 100% ho so tre han co van ban xin loi.",
                "3. 100% xa, thi tran duy tri, ap dung he thong quan ly chat luong theo TCVN ISO 9001:2015.",
                "# II. NHIEM VU",
                "Cai cach the che; cai cach TTHC; cai cach to chuc bo may; cai cach che do cong vu; cai "
                "cach tai chinh cong; xay dung va phat trien chinh quyen dien tu.",
                "# III. TO CHUC THUC HIEN",
                "1. Phong Noi vu la co quan thuong truc, theo doi, don doc; tham muu UBND huyen kiem tra "
                "cong tac CCHC trong quy III va quy IV/2021.",
                "2. Thu truong cac co quan chuyen mon, Chu tich UBND cac xa, thi tran xay dung ke hoach "
                "CCHC cua don vi; bao cao dinh ky hang quy truoc ngay 15 cua thang cuoi quy.",
                "3. Ke hoach thuc hien den het ngay 31/12/2021.",
                "Noi nhan: So Noi vu (b/c); TT Huyen uy, TT HDND huyen (b/c); cac co quan chuyen mon; "
                "UBND cac xa, thi tran; Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "01-qc-ubnd-mttq-2021.pdf",
        "issuer": "ubnd-mttq",
        "number": "01/QC-UBND-MTTQ",
        "signed": "2021-08-10",
        "title": "Quy che phoi hop cong tac giua UBND huyen va Ban Thuong truc Uy ban MTTQ Viet Nam huyen "
                 "nhiem ky 2021 - 2026",
        "signature": QC_HAI_BEN,
        "pages": [
            [
                "Can cu Luat Mat tran To quoc Viet Nam ngay 09/6/2015; Luat To chuc chinh quyen dia phuong "
                "ngay 19/6/2015; Luat sua doi, bo sung mot so dieu cua Luat To chuc Chinh phu va Luat To "
                "chuc chinh quyen dia phuong ngay 22/11/2019,",
                "UBND huyen va Ban Thuong truc Uy ban MTTQ Viet Nam huyen thong nhat ban hanh Quy che phoi "
                "hop cong tac nhiem ky 2021 - 2026 nhu sau:",
                "# Chuong I. NHUNG QUY DINH CHUNG",
                "Dieu 1. Quy che quy dinh nguyen tac, noi dung, phuong thuc phoi hop giua hai ben; moi ben "
                "hoat dong theo chuc nang, nhiem vu cua minh, thuong xuyen trao doi thong tin.",
                "# Chuong II. NOI DUNG PHOI HOP",
                "Dieu 2. Tuyen truyen, van dong nhan dan thuc hien chu truong cua Dang, chinh sach, phap "
                "luat cua Nha nuoc; cuoc van dong Toan dan doan ket xay dung nong thon moi, do thi van minh.",
                "Dieu 3. Giam sat va phan bien xa hoi; tiep cong dan, giai quyet khieu nai, to cao; dai "
                "dien Uy ban MTTQ huyen du cac buoi tiep cong dan dinh ky cua Chu tich UBND huyen.",
                "Dieu 4. UBND huyen thong bao tinh hinh kinh te - xa hoi 6 thang mot lan; moi Chu tich "
                "Uy ban MTTQ huyen du cac phien hop thuong ky cua UBND huyen.",
                "# Chuong III. TO CHUC THUC HIEN",
                "Dieu 5. Hai ben to chuc giao ban 6 thang mot lan, danh gia ket qua phoi hop va thong "
                "nhat noi dung trong tam thoi gian toi.",
                "Dieu 6. Quy che co hieu luc tu ngay ky. Trong qua trinh thuc hien, neu can sua doi, bo "
                "sung, hai ben trao doi, thong nhat bang van ban.",
                "Noi nhan: TT Huyen uy, TT HDND huyen (b/c); Uy ban MTTQ tinh (b/c); cac co quan chuyen "
                "mon; UBND, Uy ban MTTQ cac xa, thi tran; Luu: VT.",
            ],
        ],
    },
    {
        "file": "25-nq-hdnd-2021.pdf",
        "issuer": "hdnd",
        "number": "25/NQ-HDND",
        "signed": "2021-12-17",
        "title": "Nghi quyet ve du toan thu ngan sach nha nuoc tren dia ban, thu, chi ngan sach dia "
                 "phuong va phuong an phan bo ngan sach huyen nam 2022",
        "signature": HDND_CHU_TICH,
        "pages": [
            [
                "HOI DONG NHAN DAN HUYEN HAM TAN - NHIEM KY 2021 - 2026, KY HOP THUONG LE CUOI NAM 2021",
                "Can cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015; Luat Ngan sach nha nuoc ngay "
                "25/6/2015; Nghi dinh so 163/2016/ND-CP ngay 21/12/2016 cua Chinh phu;",
                "Xet To trinh cua UBND huyen; Bao cao tham tra cua Ban Kinh te - Xa hoi HDND huyen va y "
                "kien thao luan cua dai bieu HDND huyen tai ky hop,",
                "# QUYET NGHI:",
                "Dieu 1. Du toan thu ngan sach nha nuoc tren dia ban nam 2022: 268,5 ty dong.",
                "Tong chi ngan sach dia phuong: 612,4 ty dong, trong do chi dau tu phat trien 138,7 ty "
                "dong; chi thuong xuyen 461,2 ty dong; du phong ngan sach 12,5 ty dong.",
                "Dieu 2. Giao UBND huyen to chuc thuc hien; giao Thuong truc HDND, cac Ban HDND va dai "
                "bieu HDND huyen giam sat viec thuc hien Nghi quyet.",
                "Nghi quyet nay duoc HDND huyen thong qua ngay 17/12/2021, ap dung cho nam ngan sach "
                "2022, co hieu luc tu ngay 01/01/2022.",
                "Noi nhan: TT HDND tinh, UBND tinh (b/c); So Tai chinh; TT Huyen uy; UBND huyen; Uy ban "
                "MTTQ huyen; dai bieu HDND huyen; Luu: VT.",
            ],
        ],
    },
    {
        "file": "27-kh-ubnd-2022.pdf",
        "issuer": "ubnd",
        "number": "27/KH-UBND",
        "signed": "2022-02-11",
        "title": "Ke hoach day manh cung cap va su dung dich vu cong truc tuyen muc do 3, 4 tren dia "
                 "ban huyen nam 2022",
        "signature": PCT_HOA,
        "pages": [
            [
                "Thuc hien Ket luan so 123/KL-UBND ngay 07/10/2021 va Ke hoach chuyen doi so cua tinh, "
                "UBND huyen ban hanh Ke hoach day manh dich vu cong truc tuyen nam 2022 nhu sau:",
                "# I. MUC TIEU",
                "1. It nhat 30% ho so TTHC thuoc tham quyen cap xa duoc tiep nhan truc tuyen muc do 3, 4.",
                "2. 100% ho so truc tuyen duoc giai quyet dung hoac truoc han.",
                "3. Moi xa, thi tran co it nhat 02 cong chuc Bo phan mot cua thanh thao huong dan nguoi "
                "dan nop ho so tren Cong Dich vu cong.",
                "# II. GIAI PHAP",
                "Niem yet ma QR tung thu tuc truc tuyen; bo tri goc dich vu cong tai Bo phan mot cua; "
                "phoi hop Doan Thanh nien ho tro nguoi cao tuoi; tuyen truyen tren he thong truyen thanh.",
                "# III. TO CHUC THUC HIEN",
                "Van phong HDND va UBND huyen theo doi, danh gia ket qua hang quy; ket qua la tieu chi "
                "cham diem Chi so CCHC cua cac xa, thi tran. Danh muc TTHC kem theo (tep Excel).",
                "Noi nhan: So Thong tin va Truyen thong (b/c); cac co quan chuyen mon; UBND cac xa, thi "
                "tran; Luu: VT, VP.",
            ],
        ],
    },
    {
        "file": "1488-qd-ubnd-2022.pdf",
        "issuer": "ubnd",
        "number": "1488/QD-UBND",
        "signed": "2022-06-20",
        "title": "Quyet dinh cong bo danh muc thu tuc hanh chinh tiep nhan va tra ket qua tai Bo phan "
                 "Mot cua cap huyen va cap xa",
        "signature": QD_PCT_HOA,
        "pages": [
            [
                "CHU TICH UY BAN NHAN DAN HUYEN HAM TAN",
                "Can cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015; Nghi dinh so 61/2018/ND-CP "
                "ngay 23/4/2018 va Nghi dinh so 107/2021/ND-CP ngay 06/12/2021 cua Chinh phu ve thuc hien "
                "co che mot cua, mot cua lien thong trong giai quyet TTHC;",
                "Can cu cac Quyet dinh cong bo TTHC cua Chu tich UBND tinh Binh Thuan;",
                "Xet de nghi cua Chanh Van phong HDND va UBND huyen,",
                "# QUYET DINH:",
                "Dieu 1. Cong bo kem theo Quyet dinh nay danh muc 276 TTHC thuoc tham quyen giai quyet "
                "cua UBND cap huyen va 118 TTHC thuoc tham quyen giai quyet cua UBND cap xa duoc tiep "
                "nhan, tra ket qua tai Bo phan Mot cua.",
                "Dieu 2. Van phong HDND va UBND huyen niem yet danh muc tai Bo phan Mot cua huyen va "
                "tren Cong thong tin dien tu huyen; Chu tich UBND cac xa, thi tran niem yet tai tru so "
                "trong 05 ngay lam viec ke tu ngay nhan Quyet dinh.",
                "Dieu 3. Quyet dinh co hieu luc tu ngay ky. Chanh Van phong HDND va UBND huyen, thu "
                "truong cac co quan chuyen mon, Chu tich UBND cac xa, thi tran chiu trach nhiem thi hanh.",
                "Noi nhan: Nhu Dieu 3; Van phong UBND tinh (b/c); Luu: VT, VP.",
            ],
        ],
    },
    {
        "file": "215-bc-ubnd-2022.pdf",
        "issuer": "ubnd",
        "number": "215/BC-UBND",
        "signed": "2022-06-28",
        "title": "Bao cao tinh hinh kinh te - xa hoi 6 thang dau nam, nhiem vu, giai phap 6 thang "
                 "cuoi nam 2022",
        "signature": CHU_TICH,
        "pages": [
            [
                "# I. TINH HINH KINH TE - XA HOI 6 THANG DAU NAM 2022",
                "1. Tong gia tri san xuat uoc dat 5.184 ty dong, tang 7,9% so voi cung ky. Nong nghiep on "
                "dinh; dien tich thanh long, dieu, cao su duoc duy tri; san luong khai thac hai san tang.",
                "2. Khu cong nghiep Tan Duc thu hut them 02 du an che bien nong san.",
                "3. Thu ngan sach nha nuoc tren dia ban dat 142,6 ty dong, bang 53,1% du toan HDND huyen "
                "giao tai Nghi quyet so 25/NQ-HDND ngay 17/12/2021.",
                "4. Van hoa - xa hoi, an sinh xa hoi duoc bao dam; ty le ho so TTHC cap xa tiep nhan "
                "truc tuyen dat 24,6%.",
                "5. Quoc phong, an ninh duoc giu vung; khong phat sinh diem nong ve khieu kien.",
                "# II. HAN CHE",
                "Giai ngan von dau tu cong con cham; mot so du an vuong mac boi thuong, giai phong mat "
                "bang; ty le ho so truc tuyen chua dat chi tieu.",
                "# III. NHIEM VU, GIAI PHAP 6 THANG CUOI NAM 2022",
                "1. Day nhanh giai ngan von dau tu cong; thao go vuong mac mat bang cac du an trong diem.",
                "2. Chu dong phong, chong thien tai mua mua bao theo phuong cham 4 tai cho.",
                "3. Hoan thanh tieu chi xa nong thon moi nang cao tai xa Tan Duc.",
                "4. Tang cuong quan ly thu, phan dau thu ngan sach dat tren 100% du toan.",
                "5. Day manh dich vu cong truc tuyen theo Ke hoach so 27/KH-UBND ngay 11/02/2022.",
                "Noi nhan: UBND tinh, So Ke hoach va Dau tu (b/c); TT Huyen uy, TT HDND huyen; cac co "
                "quan chuyen mon; UBND cac xa, thi tran; Luu: VT, TCKH.",
            ],
        ],
    },
    {
        "file": "21-kh-ubnd-2023.pdf",
        "issuer": "ubnd",
        "number": "21/KH-UBND",
        "signed": "2023-01-16",
        "title": "Ke hoach chuyen doi so huyen Ham Tan nam 2023",
        "signature": CHU_TICH,
        "pages": [
            [
                "Can cu Quyet dinh so 749/QD-TTg ngay 03/6/2020 cua Thu tuong Chinh phu phe duyet Chuong "
                "trinh Chuyen doi so quoc gia den nam 2025, dinh huong den nam 2030; Ke hoach chuyen doi so "
                "nam 2023 cua tinh, UBND huyen ban hanh Ke hoach chuyen doi so nam 2023 nhu sau:",
                "# I. CHI TIEU",
                "1. Ty le ho so TTHC duoc xu ly truc tuyen toan trinh dat tren 40%.",
                "2. Ty le so hoa ho so, ket qua giai quyet TTHC dat tren 70%.",
                "3. 100% van ban di cua cac co quan, don vi duoc ky so (tru van ban mat).",
                "# II. NHIEM VU",
                "Chinh quyen so: van hanh he thong quan ly van ban va dieu hanh, chu ky so, so hoa ho so.",
                "Kinh te so: ho tro ho san xuat, hop tac xa dua thanh long, hai san kho len san thuong mai "
                "dien tu; thanh toan khong dung tien mat.",
                "Xa hoi so: duy tri 96 To cong nghe so cong dong tai thon, khu pho.",
                "# III. TO CHUC THUC HIEN",
                "Phong Van hoa va Thong tin la co quan thuong truc; cac co quan, don vi bao cao ket qua ve "
                "UBND huyen truoc ngay 15/12/2023. Ke hoach thuc hien den het ngay 31/12/2023.",
                "Noi nhan: So Thong tin va Truyen thong (b/c); BCD chuyen doi so huyen; cac co quan chuyen "
                "mon; UBND cac xa, thi tran; Luu: VT, VHTT.",
            ],
        ],
    },
    {
        "file": "03-ct-ubnd-2023.pdf",
        "issuer": "ubnd",
        "number": "03/CT-UBND",
        "signed": "2023-02-06",
        "title": "Chi thi ve tang cuong ky luat, ky cuong hanh chinh va trach nhiem cua nguoi dung dau "
                 "trong thuc thi cong vu",
        "signature": CT_CHU_TICH,
        "pages": [
            [
                "Thoi gian qua, ky luat, ky cuong hanh chinh tren dia ban huyen co chuyen bien; tuy nhien "
                "van con tinh trang di muon ve som, cham thuc hien nhiem vu duoc giao, ho so TTHC tre han "
                "nhung chua xin loi nguoi dan. De khac phuc, Chu tich UBND huyen chi thi:",
                "1. Thu truong cac co quan chuyen mon, Chu tich UBND cac xa, thi tran chan chinh ngay viec "
                "chap hanh thoi gian lam viec, van hoa cong so, deo the cong chuc, vien chuc.",
                "2. Moi ho so TTHC tre han phai co van ban xin loi nguoi dan, neu ro ly do va thoi han tra "
                "ket qua.",
                "3. Nguoi dung dau chiu trach nhiem truc tiep ve ky luat, ky cuong tai co quan, don vi; "
                "ket qua thuc hien la can cu danh gia, xep loai can bo, cong chuc cuoi nam.",
                "4. Phong Noi vu chu tri kiem tra cong vu dot xuat; tong hop bao cao Chu tich UBND huyen "
                "hang quy.",
                "Chi thi nay co hieu luc tu ngay ky.",
                "Noi nhan: TT Huyen uy, TT HDND huyen (b/c); cac co quan chuyen mon; UBND cac xa, thi "
                "tran; Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "36-tb-vp-2024.pdf",
        "issuer": "vp",
        "number": "36/TB-VP",
        "signed": "2024-03-12",
        "title": "Thong bao ket luan cua Pho Chu tich UBND huyen Le Van Hoa tai Hoi nghi tong ket cong "
                 "tac cai cach hanh chinh nam 2023",
        "signature": CHANH_VP,
        "pages": [
            [
                "Chieu ngay 07/3/2024, Pho Chu tich UBND huyen Le Van Hoa chu tri Hoi nghi tong ket cong "
                "tac cai cach hanh chinh nam 2023, trien khai nhiem vu nam 2024, ket noi truc tuyen den 10 "
                "xa, thi tran. Sau khi nghe bao cao va y kien cac dai bieu, Pho Chu tich ket luan:",
                "1. Nam 2023, 97,8% ho so TTHC duoc giai quyet dung han; ty le ho so truc tuyen toan trinh "
                "dat 46,3%; Chi so CCHC cua huyen tang 3 bac.",
                "2. Nam 2024, phan dau ty le ho so truc tuyen toan trinh tren 50%, so hoa ho so dat 80%.",
                "3. Cong khai day du ke hoach, ket qua kiem tra va tinh hinh khac phuc cua tung don vi "
                "tren Cong thong tin dien tu huyen.",
                "4. Phong Noi vu tham muu Ke hoach kiem tra CCHC nam 2024 trong thang 3/2024.",
                "5. UBND cac xa, thi tran co Chi so CCHC nam 2023 xep hang thap bao cao giai phap khac "
                "phuc truoc ngay 31/3/2024.",
                "Van phong HDND va UBND huyen thong bao de cac co quan, don vi biet, thuc hien.",
                "Noi nhan: Chu tich, cac PCT UBND huyen; cac co quan chuyen mon; UBND cac xa, thi tran; "
                "Luu: VT.",
            ],
        ],
    },
    {
        "file": "1046-qd-ubnd-2024.pdf",
        "issuer": "ubnd",
        "number": "1046/QD-UBND",
        "signed": "2024-04-16",
        "title": "Quyet dinh cong bo danh muc thu tuc hanh chinh tiep nhan va tra ket qua tai Bo phan "
                 "Mot cua cap huyen va cap xa nam 2024",
        "signature": QD_PCT_HOA,
        "pages": [
            [
                "CHU TICH UY BAN NHAN DAN HUYEN HAM TAN",
                "Can cu Luat To chuc chinh quyen dia phuong ngay 19/6/2015; Nghi dinh so 61/2018/ND-CP "
                "ngay 23/4/2018 va Nghi dinh so 107/2021/ND-CP ngay 06/12/2021 cua Chinh phu;",
                "Can cu cac Quyet dinh cong bo TTHC cua Chu tich UBND tinh Binh Thuan ban hanh den ngay "
                "31/3/2024;",
                "Xet de nghi cua Chanh Van phong HDND va UBND huyen,",
                "# QUYET DINH:",
                "Dieu 1. Cong bo kem theo Quyet dinh nay danh muc 289 TTHC thuoc tham quyen giai quyet "
                "cua UBND cap huyen va 127 TTHC thuoc tham quyen giai quyet cua UBND cap xa duoc tiep "
                "nhan, tra ket qua tai Bo phan Mot cua, ghi ro thu tuc cung cap dich vu cong truc tuyen "
                "toan trinh, mot phan va thu tuc tiep nhan, tra ket qua qua dich vu buu chinh cong ich "
                "(Phu luc kem theo).",
                "Dieu 2. Van phong HDND va UBND huyen cap nhat danh muc len He thong thong tin giai "
                "quyet TTHC cua tinh; UBND cac xa, thi tran niem yet lai danh muc truoc ngay 06/5/2024.",
                "Dieu 3. Quyet dinh nay co hieu luc tu ngay 06/5/2024 va thay the Quyet dinh so "
                "1488/QD-UBND ngay 20/6/2022 cua Chu tich UBND huyen.",
                "Dieu 4. Chanh Van phong HDND va UBND huyen, thu truong cac co quan chuyen mon, Chu tich "
                "UBND cac xa, thi tran chiu trach nhiem thi hanh Quyet dinh nay.",
                "Noi nhan: Nhu Dieu 4; Van phong UBND tinh (b/c); Luu: VT, VP.",
            ],
        ],
    },
    {
        "file": "1046-qd-ubnd-2024-phu-luc.pdf",
        "issuer": "ubnd",
        "number": "1046/QD-UBND",
        "signed": "2024-04-16",
        "title": "Phu luc danh muc thu tuc hanh chinh kem theo Quyet dinh so 1046/QD-UBND",
        "signature": QD_PCT_HOA,
        "pages": [
            [
                "(Kem theo Quyet dinh so 1046/QD-UBND ngay 16/4/2024 cua Chu tich UBND huyen Ham Tan)",
                "Ky hieu: TT = dich vu cong truc tuyen toan trinh; MP = truc tuyen mot phan; "
                "BC = tiep nhan, tra ket qua qua buu chinh cong ich.",
                "# A. THU TUC HANH CHINH CAP HUYEN (289 thu tuc) - trich",
                "1. Cap giay chung nhan dang ky ho kinh doanh - Dang ky kinh doanh - TT, BC",
                "2. Cap giay phep xay dung nha o rieng le - Xay dung - TT, BC",
                "3. Cap giay chung nhan co so du dieu kien an toan thuc pham - An toan thuc pham - MP, BC",
                "4. Dang ky bien dong dat dai, tai san gan lien voi dat - Dat dai - MP, BC",
                "5. Giai quyet khieu nai lan dau tai cap huyen - Giai quyet khieu nai - MP",
                "6. Cap ban sao trich luc ho tich - Ho tich - TT, BC",
                "# B. THU TUC HANH CHINH CAP XA (127 thu tuc) - trich",
                "1. Dang ky khai sinh - Ho tich - TT, BC",
                "2. Dang ky khai tu - Ho tich - TT, BC",
                "3. Dang ky ket hon - Ho tich - MP",
                "4. Xac nhan tinh trang hon nhan - Ho tich - TT, BC",
                "5. Chung thuc ban sao tu ban chinh - Chung thuc - MP",
                "6. Dang ky hoat dong tin nguong - Ton giao - MP, BC",
                "# C. TONG HOP",
                "Cap huyen: 289 thu tuc, trong do 131 thu tuc truc tuyen toan trinh, 158 thu tuc truc "
                "tuyen mot phan; 264 thu tuc tiep nhan, tra ket qua qua buu chinh cong ich.",
                "Cap xa: 127 thu tuc, trong do 58 thu tuc truc tuyen toan trinh, 69 thu tuc truc tuyen "
                "mot phan; 109 thu tuc tiep nhan, tra ket qua qua buu chinh cong ich.",
                "Danh muc day du, co ma so tung thu tuc, duoc cong khai tren He thong thong tin giai "
                "quyet TTHC cua tinh va tai Bo phan Mot cua huyen, xa, thi tran.",
            ],
        ],
    },
    {
        "file": "198-bc-ubnd-2024.pdf",
        "issuer": "ubnd",
        "number": "198/BC-UBND",
        "signed": "2024-06-14",
        "title": "Bao cao ket qua thuc hien cong tac cai cach hanh chinh 6 thang dau nam, phuong "
                 "huong, nhiem vu 6 thang cuoi nam 2024",
        "signature": PCT_HOA,
        "pages": [
            [
                "# I. KET QUA 6 THANG DAU NAM 2024",
                "1. Tiep nhan 14.962 ho so TTHC, giai quyet dung han 98,1%; 100% ho so tre han co van "
                "ban xin loi nguoi dan.",
                "2. Ty le ho so truc tuyen toan trinh dat 49,2%; ty le so hoa ho so, ket qua giai quyet "
                "TTHC tai cap xa dat 81%, vuot chi tieu nam 2024.",
                "3. Thuc hien Quyet dinh so 1046/QD-UBND ngay 16/4/2024, 100% xa, thi tran da niem yet "
                "lai danh muc TTHC tai Bo phan Mot cua.",
                "# II. HAN CHE",
                "Ho so linh vuc dat dai con tre han; thanh toan truc tuyen phi, le phi con thap; cac xa "
                "Tan Thien, Tan Thang, Thang Hai co ty le so hoa duoi 70%.",
                "# III. NHIEM VU 6 THANG CUOI NAM 2024",
                "Kiem tra cong vu dot xuat trong quy IV; khao sat muc do hai long cua nguoi dan trong "
                "thang 10 - 11/2024; hoan thanh tu danh gia Chi so CCHC nam 2024.",
                "Noi nhan: So Noi vu (b/c); TT Huyen uy, TT HDND huyen (b/c); cac co quan chuyen mon; "
                "UBND cac xa, thi tran; Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "2874-ubnd-vp-2024.pdf",
        "issuer": "ubnd",
        "number": "2874/UBND-VP",
        "signed": "2024-11-15",
        "title": "V/v bao dam tiep nhan ho so TTHC trong thoi gian tam dung He thong thong tin giai "
                 "quyet TTHC ngay 23 va 24/11/2024",
        "signature": PCT_HOA,
        "pages": [
            [
                "Kinh gui: Thu truong cac co quan chuyen mon thuoc UBND huyen; Chu tich UBND cac xa, "
                "thi tran.",
                "De nang cap He thong thong tin giai quyet TTHC cua tinh, ket noi Co so du lieu quoc gia "
                "ve dan cu, he thong tam dung tu 07 gio 00 ngay 23/11/2024 den 17 gio 00 ngay 24/11/2024. "
                "UBND huyen de nghi:",
                "1. Thong bao rong rai thoi gian tam dung den nguoi dan, doanh nghiep tai Bo phan Mot cua, "
                "tren he thong truyen thanh va trang thong tin dien tu cua don vi.",
                "2. Bo tri cong chuc tiep nhan ho so giay tai Bo phan Mot cua vao sang thu Bay 23/11/2024; "
                "cap nhat toan bo ho so len he thong ngay khi he thong hoat dong tro lai.",
                "3. Thoi han giai quyet tinh tu ngay ghi tren giay tiep nhan; khong de ho so tre han do "
                "tam dung he thong.",
                "4. Van phong HDND va UBND huyen dang thong bao tren Cong thong tin dien tu huyen.",
                "Noi nhan: Nhu tren; Chu tich, cac PCT UBND huyen; Luu: VT, VP.",
            ],
        ],
    },
    {
        "file": "287-pnv-2024.pdf",
        "issuer": "pnv",
        "number": "287/PNV",
        "signed": "2024-11-25",
        "title": "V/v huong dan danh gia, xep loai chat luong can bo, cong chuc, vien chuc nam 2024",
        "signature": TRUONG_PNV,
        "pages": [
            [
                "Kinh gui: Thu truong cac co quan chuyen mon, don vi su nghiep thuoc UBND huyen; Chu "
                "tich UBND cac xa, thi tran.",
                "Can cu Nghi dinh so 90/2020/ND-CP ngay 13/8/2020 va Nghi dinh so 48/2023/ND-CP ngay "
                "17/7/2023 cua Chinh phu ve danh gia, xep loai chat luong can bo, cong chuc, vien chuc, "
                "Phong Noi vu huong dan nhu sau:",
                "1. Danh gia gan voi ket qua thuc hien nhiem vu cu the, ket qua kiem tra cong vu va Chi "
                "so CCHC cua co quan, don vi.",
                "2. Ty le xep loai Hoan thanh xuat sac nhiem vu khong vuot qua 20% so duoc xep loai Hoan "
                "thanh tot nhiem vu tro len.",
                "3. Ho so, bieu tong hop gui ve Phong Noi vu truoc ngay 20/12/2024 de tham muu UBND "
                "huyen.",
                "Noi nhan: Nhu tren; Lanh dao UBND huyen (b/c); Luu: NV.",
            ],
        ],
    },
    {
        "file": "05-tb-vp-2025.pdf",
        "issuer": "vp",
        "number": "05/TB-VP",
        "signed": "2025-01-03",
        "title": "Thong bao lich tiep cong dan dinh ky cua Chu tich UBND huyen nam 2025",
        "signature": CHANH_VP,
        "pages": [
            [
                "Can cu Luat Tiep cong dan ngay 25/11/2013; Nghi dinh so 64/2014/ND-CP ngay 26/6/2014 cua "
                "Chinh phu; Thong tu so 04/2021/TT-TTCP ngay 01/10/2021 cua Thanh tra Chinh phu quy dinh "
                "quy trinh tiep cong dan,",
                "Van phong HDND va UBND huyen thong bao lich tiep cong dan dinh ky nam 2025 nhu sau:",
                "1. Chu tich UBND huyen: sang thu Nam cua tuan thu hai va tuan thu tu moi thang, tu 07 "
                "gio 30 den 11 gio 00.",
                "2. Pho Chu tich UBND huyen (theo linh vuc phu trach): sang thu Ba cua tuan thu hai moi "
                "thang.",
                "3. Dia diem: Tru so Ban Tiep cong dan huyen, khu pho 1, thi tran Tan Nghia.",
                "4. Truong hop trung ngay nghi le hoac lanh dao co cong viec dot xuat, lich dieu chinh "
                "duoc dang tren Cong thong tin dien tu huyen cham nhat 03 ngay lam viec truoc buoi tiep.",
                "5. Cong dan dang ky truc tiep tai Ban Tiep cong dan huyen hoac qua dien thoai "
                "0252 3 848 130 trong gio hanh chinh.",
                "Noi nhan: Chu tich, cac PCT UBND huyen; Ban Tiep cong dan huyen; Uy ban MTTQ huyen; "
                "UBND cac xa, thi tran; Luu: VT.",
            ],
        ],
    },
    {
        "file": "45-kh-ubnd-2025.pdf",
        "issuer": "ubnd",
        "number": "45/KH-UBND",
        "signed": "2025-03-10",
        "title": "Ke hoach kiem tra cong tac cai cach hanh chinh nam 2025 tren dia ban huyen",
        "signature": PCT_HOA,
        "pages": [
            [
                "# I. MUC DICH, YEU CAU",
                "Danh gia thuc chat ket qua CCHC cua cac co quan, don vi; kip thoi chan chinh han che; "
                "lam can cu xac dinh Chi so CCHC nam 2025.",
                "# II. DOI TUONG, THOI GIAN",
                "Kiem tra truc tiep 04 co quan chuyen mon thuoc UBND huyen va UBND 05 xa, thi tran trong "
                "quy III/2025; cac don vi con lai tu kiem tra, bao cao ve UBND huyen (qua Phong Noi vu).",
                "# III. NOI DUNG",
                "Giai quyet TTHC truc tuyen toan trinh; so hoa ho so, ket qua giai quyet TTHC; van ban xin "
                "loi nguoi dan khi ho so tre han; viec khac phuc han che sau kiem tra nam 2024.",
                "# IV. TO CHUC THUC HIEN",
                "Phong Noi vu tham muu thanh lap Doan kiem tra, thong bao lich kiem tra truoc 10 ngay.",
                "Noi nhan: So Noi vu (b/c); cac co quan chuyen mon; UBND cac xa, thi tran; Luu: VT, NV.",
            ],
        ],
    },
    {
        "file": "71-kh-ubnd-2025.pdf",
        "issuer": "ubnd",
        "number": "71/KH-UBND",
        "signed": "2025-04-22",
        "title": "Ke hoach kiem tra cong tac cai cach hanh chinh nam 2025 tren dia ban huyen (thay the "
                 "Ke hoach so 45/KH-UBND)",
        "signature": PCT_HOA,
        "pages": [
            [
                "De phu hop voi lo trinh sap xep don vi hanh chinh cap xa va to chuc bo may, UBND huyen "
                "ban hanh Ke hoach nay thay the Ke hoach so 45/KH-UBND ngay 10/3/2025.",
                "# I. DOI TUONG, THOI GIAN",
                "Kiem tra truc tiep tu ngay 12/5/2025 den ngay 30/5/2025 tai Phong Van hoa va Thong tin, "
                "Phong Kinh te va Ha tang va UBND cac xa, thi tran: Tan Minh, Tan Thang, Thang Hai, Tan Ha.",
                "# II. NOI DUNG TRONG TAM",
                "Giai quyet TTHC khong de gian doan trong qua trinh sap xep; luu tru, ban giao ho so TTHC "
                "va du lieu so hoa; van ban xin loi nguoi dan khi ho so tre han.",
                "# III. TO CHUC THUC HIEN",
                "Phong Noi vu tong hop ket qua, bao cao Chu tich UBND huyen truoc ngay 10/6/2025. Ke hoach "
                "thuc hien den het ngay 30/6/2025.",
                "Noi nhan: So Noi vu (b/c); cac co quan chuyen mon; UBND cac xa, thi tran; Luu: VT, NV.",
            ],
        ],
    },
]


def render(doc):
    """The PDF bytes of one document, with its issuer's header block."""
    saved = make_sample_files.HEADER_LEFT
    make_sample_files.HEADER_LEFT = HEADERS[doc["issuer"]]
    try:
        return make_sample_files.make_pdf({
            "number": doc["number"],
            "place_date": place_date(doc["signed"]),
            "title": doc["title"],
            "signature": doc["signature"],
            "pages": doc["pages"],
        })
    finally:
        make_sample_files.HEADER_LEFT = saved


def build(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    files = {doc["file"]: render(doc) for doc in DOCS}
    for name, data in sorted(files.items()):
        with open(os.path.join(out_dir, name), "wb") as fh:
            fh.write(data)
        print("%-36s %7d bytes" % (name, len(data)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: content/files/van-ban/)")
    build(ap.parse_args().out)
