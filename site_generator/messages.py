"""Every sentence an editor reads, by problem code, in Vietnamese and English.

Each entry is ``code: {"vi": (what, fix), "en": (what, fix)}``; the templates
use ``str.format`` names that the problem carries as parameters. The problems a content
kind reports are declared with it (``Kind.messages`` in kinds/), in the same form.
"""
from __future__ import annotations

import functools

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # --- reading files -------------------------------------------------
    "not-utf8": {
        "vi": ("tệp không phải văn bản UTF-8 hợp lệ (byte thứ {nth})",
               "mở tệp và lưu lại với mã hóa UTF-8"),
        "en": ("the file is not valid UTF-8 text (byte offset {offset})",
               "open the file and save it again with UTF-8 encoding")},
    "no-front-matter": {
        "vi": ("tệp không bắt đầu bằng phần thông tin `---`",
               "thêm dòng `---` ở đầu tệp, các dòng `title:`, `date:`, rồi một dòng `---` trước nội dung"),
        "en": ("the file does not start with a `---` front matter block",
               "add a `---` line at the top, the `title:` and `date:` lines, then a `---` line before the body")},
    "front-matter-unclosed": {
        "vi": ("phần thông tin mở bằng `---` nhưng không có dòng `---` đóng lại",
               "thêm một dòng chỉ có `---` sau dòng thông tin cuối cùng"),
        "en": ("the front matter opened with `---` is never closed",
               "add a line containing only `---` after the last front matter line")},
    "yaml-syntax": {
        "vi": ("lỗi cú pháp YAML ở cột {col}: {reason}",
               "kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề; đặt giá trị có dấu `:` trong ngoặc kép thẳng `\"...\"`"),
        "en": ("YAML syntax error at column {col}: {reason}",
               "check colons, quotes and indentation; put values that contain `:` in straight quotes `\"...\"`")},
    "yaml-syntax-other": {
        "vi": ("lỗi cú pháp YAML ở cột {col} (bộ đọc YAML báo bằng tiếng Anh: “{detail}”)",
               "so dòng này với mẫu trong docs/tham-khao.md: mỗi dòng dạng `khóa: giá trị`, thụt lề bằng dấu cách, "
               "giá trị có ký tự đặc biệt đặt trong ngoặc kép thẳng `\"...\"`"),
        "en": ("YAML syntax error at column {col} (the YAML reader says: “{detail}”)",
               "compare the line with the examples in docs/tham-khao.md: each line `key: value`, indented with spaces, "
               "values with special characters in straight quotes `\"...\"`")},
    "yaml-curly-quotes": {
        "vi": ("lỗi cú pháp YAML ở cột {col}: dòng này dùng ngoặc kép cong “ ” hoặc ‘ ’ (Word, điện thoại tự đổi "
               "khi gõ); YAML chỉ coi ngoặc kép thẳng `\"` là ngoặc, nên giá trị như chưa được đặt trong ngoặc kép",
               "xóa các dấu “ ” ‘ ’ và gõ lại bằng phím `\"` (ngoặc kép thẳng), ví dụ `title: \"Kế hoạch: năm 2025\"`; "
               "soạn phần thông tin bằng Notepad hoặc trình soạn mã, không bằng Word"),
        "en": ("YAML syntax error at column {col}: this line has curly quotes “ ” or ‘ ’ (Word and phones type them); "
               "YAML takes only straight quotes `\"` as quotes, so the value is as good as unquoted",
               "delete the “ ” ‘ ’ and type them again with the `\"` key (straight quotes), e.g. "
               "`title: \"Plan: 2025\"`; edit the front matter in Notepad or a code editor, not in Word")},
    "yaml-tab": {
        "vi": ("lỗi cú pháp YAML ở cột {col}: dòng này có ký tự Tab; YAML không nhận Tab, chỉ thụt lề bằng dấu cách",
               "xóa Tab ở dòng này và thụt lề bằng dấu cách (hai dấu cách mỗi cấp, như mẫu trong docs/tham-khao.md); "
               "trình soạn thảo có thể đặt “Tab thành dấu cách”"),
        "en": ("YAML syntax error at column {col}: this line has a Tab; YAML takes no Tabs, only spaces to indent",
               "delete the Tab on this line and indent with spaces (two per level, as in docs/tham-khao.md); editors "
               "can be set to insert spaces for Tab")},
    "curly-quoted-value": {
        "vi": ("`{key}` nằm trong ngoặc kép cong “…”: YAML không coi đó là ngoặc, các dấu “ ” sẽ hiện nguyên trên trang",
               "thay “ ” bằng ngoặc kép thẳng: `{key}: \"{value}\"` (phím `\"`), hoặc bỏ ngoặc nếu không cần"),
        "en": ("`{key}` is in curly quotes “…”: YAML does not take them as quotes, so they show on the page",
               "use straight quotes instead: `{key}: \"{value}\"` (the `\"` key), or no quotes at all")},
    "yaml-alias": {
        "vi": ("dùng lại một khối bằng `*tên` (alias YAML): không được phép ở đây",
               "viết đầy đủ giá trị thay cho `*tên`; nếu `*` là một phần của chữ, đặt cả giá trị trong ngoặc kép"),
        "en": ("a block reused with `*name` (a YAML alias): not allowed here",
               "write the value out instead of `*name`; if the `*` is part of the text, put the value in quotes")},
    "yaml-too-deep": {
        "vi": ("thông tin lồng nhau quá {depth} cấp",
               "kiểm tra thụt lề: mỗi cấp chỉ thụt thêm hai dấu cách, đúng như mẫu trong docs/tham-khao.md"),
        "en": ("values nested deeper than {depth} levels",
               "check the indentation: each level two more spaces, as in the examples of docs/tham-khao.md")},
    "not-a-mapping": {
        "vi": ("{what} phải là danh sách các dòng `khóa: giá trị`",
               "viết mỗi thông tin trên một dòng dạng `title: \"...\"`"),
        "en": ("{what} must be a list of `key: value` lines",
               "write each setting on its own line as `title: \"...\"`")},
    "duplicate-key": {
        "vi": ("khóa `{key}` được khai báo hai lần",
               "giữ lại một dòng `{key}:` và xóa dòng kia"),
        "en": ("the key `{key}` is given twice",
               "keep one `{key}:` line and delete the other")},
    "missing-site-config": {
        "vi": ("không tìm thấy tệp cài đặt site.yaml",
               "chạy lệnh trong thư mục có site.yaml hoặc chỉ đường dẫn bằng `--site THƯ_MỤC`"),
        "en": ("site.yaml was not found",
               "run the command in the folder that holds site.yaml or give it with `--site DIR`")},
    "missing-province-config": {
        "vi": ("không tìm thấy tệp cài đặt province.yaml của tỉnh",
               "chỉ thư mục có province.yaml bằng `--site THƯ_MỤC` (hoặc `--province THƯ_MỤC`), hoặc tạo kho của tỉnh bằng `python build.py init --province THƯ_MỤC`"),
        "en": ("the province's province.yaml was not found",
               "give the folder that holds province.yaml with `--site DIR` (or `--province DIR`), or make one with `python build.py init --province DIR`")},
    "unknown-province-code": {
        "vi": ("mã tỉnh {number} không có trong danh mục đơn vị hành chính sau sắp xếp (dữ liệu ngày {version})",
               "sửa `code:` thành mã của tỉnh, ví dụ `code: 68` (Lâm Đồng); `python build.py init --list` liệt kê các tỉnh"),
        "en": ("the province code {number} is not in the list of administrative units after the 2025 reform (data of {version})",
               "write the province's code in `code:`, e.g. `code: 68` (Lâm Đồng); `python build.py init --list` lists them")},
    "unknown-commune-code": {
        "vi": ("mã xã {number} không có trong danh mục đơn vị hành chính sau sắp xếp (dữ liệu ngày {version})",
               "sửa `code:` thành mã của xã, phường; `python build.py init --list --code MÃ_TỈNH` liệt kê các xã của tỉnh với mã"),
        "en": ("the commune code {number} is not in the list of administrative units after the 2025 reform (data of {version})",
               "write the commune's or ward's code in `code:`; `python build.py init --list --code PROVINCE_CODE` lists the province's communes with their codes")},
    "commune-of-other-province": {
        "vi": ("mã {number} là của {name}, không thuộc tỉnh có mã {province}",
               "kiểm tra lại `code:` của xã hoặc `code:` của tỉnh ở đầu province.yaml"),
        "en": ("the code {number} is {name}'s, which is not in the province coded {province}",
               "check the commune's `code:`, or the province's `code:` at the top of province.yaml")},
    "commune-listed-twice": {
        "vi": ("xã ở thư mục `{folder}` (hoặc cùng mã) đã có ở dòng {line}",
               "mỗi xã chỉ ghi một lần trong `communes:`; xóa một dòng"),
        "en": ("the commune in `{folder}` (or with the same code) is already listed on line {line}",
               "list each commune once under `communes:`; delete one of the lines")},
    "bad-commune-folder": {
        "vi": ("tên thư mục của xã {folder} có ký tự không dùng được",
               "đặt tên thư mục bằng chữ không dấu, số và dấu gạch ngang, ví dụ `folder: xa-tan-minh`"),
        "en": ("the commune's folder name {folder} has characters that cannot be used",
               "name the folder with unaccented letters, digits and hyphens, e.g. `folder: xa-tan-minh`")},
    "bad-domain": {
        "vi": ("`domain: {value}` không phải tên miền",
               "viết tên miền của tỉnh, chữ thường không dấu, ví dụ `domain: lamdong.gov.vn`"),
        "en": ("`domain: {value}` is not a domain name",
               "write the province's domain in lowercase, e.g. `domain: lamdong.gov.vn`")},
    "commune-folder-missing": {
        "vi": ("không có thư mục `{folder}` của xã (hoặc trong đó không có site.yaml)",
               "tạo thư mục bằng `python build.py init --province THƯ_MỤC_TỈNH --commune MÃ_XÃ`, hoặc sửa `folder:`"),
        "en": ("the commune's folder `{folder}` does not exist (or holds no site.yaml)",
               "make it with `python build.py init --province PROVINCE_DIR --commune CODE`, or fix `folder:`")},
    "unknown-folder": {
        "vi": ("thư mục `{folder}` không phải chuyên mục khai báo trong site.yaml",
               "thêm `{folder}: {{title: \"...\"}}` vào `sections:` trong site.yaml, hoặc chuyển bài viết sang một chuyên mục đã có ({known})"),
        "en": ("the folder `{folder}` is not a section declared in site.yaml",
               "add `{folder}: {{title: \"...\"}}` under `sections:` in site.yaml, or move the posts to a declared section ({known})")},
    "stray-markdown": {
        "vi": ("bài viết nằm ngoài mọi chuyên mục",
               "chuyển tệp vào một thư mục chuyên mục trong content/ ({known})"),
        "en": ("the post is not inside any section folder",
               "move the file into a section folder under content/ ({known})")},
    # --- bodies: sizes, depth, raw HTML, images (markup.py) -------------
    "body-large": {
        "vi": ("nội dung bài dài {size} (quá {limit}): trang và các nguồn tin của nó sẽ rất nặng, chậm trên điện thoại",
               "chia thành nhiều bài, hoặc chuyển bảng số liệu, văn bản dài sang tệp đính kèm (PDF, XLSX) trong "
               "`content/files/`"),
        "en": ("the body is {size} long (over {limit}): its page and feeds will be heavy and slow on phones",
               "split it into several posts, or move long tables and documents into an attachment (PDF, XLSX) "
               "under `content/files/`")},
    "body-too-large": {
        "vi": ("nội dung bài dài {size}, vượt giới hạn {limit}: bài không được chuyển thành trang",
               "chia thành nhiều bài, hoặc chuyển bảng số liệu, văn bản dài sang tệp đính kèm (PDF, XLSX) trong "
               "`content/files/` rồi liên kết tới tệp đó"),
        "en": ("the body is {size} long, over the limit of {limit}: it is not made into a page",
               "split it into several posts, or move long tables and documents into an attachment (PDF, XLSX) "
               "under `content/files/` and link to it")},
    "body-too-deep": {
        "vi": ("dòng này lồng nhau quá {limit} lớp (trích dẫn `>`, gạch đầu dòng `-`, `*`, `+`, số thứ tự `1.` "
               "hoặc thụt lề 4 dấu cách)",
               "bớt các lớp lồng nhau; muốn viết `>` hay `-` ở đầu dòng như chữ thường thì đặt dấu `\\` trước nó"),
        "en": ("this line is nested more than {limit} levels deep (quotes `>`, list markers `-`, `*`, `+`, `1.` "
               "or 4-space indents)",
               "remove levels of nesting; to write `>` or `-` at the start of a line as plain text, put `\\` "
               "before it")},
    "body-brackets-too-deep": {
        "vi": ("quá {limit} dấu ngoặc vuông `[` mở cùng lúc trong một đoạn (lồng nhau hoặc không được đóng)",
               "đóng mỗi dấu `[` bằng `]`, hoặc viết `\\[` nếu đó là chữ thường"),
        "en": ("more than {limit} square brackets `[` open at once in one paragraph (nested or never closed)",
               "close each `[` with `]`, or write `\\[` when it is plain text")},
    "body-html-too-deep": {
        "vi": ("HTML trong bài lồng nhau quá {limit} lớp thẻ (thẻ lồng trong thẻ, hoặc mở mà không đóng như "
               "`<div>` thiếu `</div>`)",
               "đóng mỗi thẻ đã mở; HTML dán từ Word hay từ trang web khác nên viết lại bằng Markdown"),
        "en": ("the HTML in the body is nested more than {limit} elements deep (elements inside elements, or "
               "opened and never closed, like `<div>` without `</div>`)",
               "close each element you open; HTML pasted from Word or another website is best rewritten in "
               "Markdown")},
    "body-unconvertible": {
        "vi": ("không chuyển được nội dung bài thành trang web ({detail})",
               "lỗi này thường do cấu trúc lồng nhau nhiều lớp (danh sách, trích dẫn, HTML): đơn giản hóa phần đó; "
               "nếu vẫn lỗi, gửi tệp này cho người quản trị cổng"),
        "en": ("the body could not be made into a web page ({detail})",
               "this usually comes from structures nested many levels deep (lists, quotes, HTML): simplify them; "
               "if it persists, send this file to the portal's administrator")},
    "pasted-line-breaks": {
        "vi": ("các đoạn văn chỉ cách nhau một lần xuống dòng (thường do dán từ Word) bị nối thành một đoạn dài trên "
               "trang ({count} chỗ, chỗ đầu ở dòng này)",
               "để một dòng trống giữa hai đoạn văn; muốn xuống dòng mà không sang đoạn mới thì kết thúc dòng bằng "
               "dấu `\\`"),
        "en": ("paragraphs separated by a single line break (as pasted from Word) are joined into one long "
               "paragraph on the page ({count} places, the first on this line)",
               "leave a blank line between paragraphs; to break a line within a paragraph, end it with `\\`")},
    "tab-indented-paragraph": {
        "vi": ("đoạn văn bắt đầu bằng ký tự Tab (thụt đầu dòng kiểu Word) sẽ hiện thành một khung mã chữ máy, không "
               "phải đoạn văn ({count} đoạn, đoạn đầu ở dòng này)",
               "xóa Tab ở đầu đoạn; trên cổng, các đoạn văn được tách bằng dòng trống, không thụt đầu dòng"),
        "en": ("a paragraph starting with a Tab (Word's first-line indent) shows as a box of code, not as a "
               "paragraph ({count} paragraphs, the first on this line)",
               "delete the Tab at the start of the paragraph; on the portal paragraphs are separated by blank "
               "lines, not indented")},
    "external-image": {
        "vi": ("ảnh `{src}` nằm ở trang web khác: cổng không tải ảnh này mà chỉ đặt liên kết tới nó, để trình "
               "duyệt của người đọc không gửi địa chỉ của họ tới trang đó",
               "tải ảnh về, chép vào `content/files/` và ghi đường dẫn tới tệp, ví dụ "
               "`![Mô tả ảnh](/files/ten-anh.jpg)`"),
        "en": ("the image `{src}` is on another website: the portal does not load it and only links to it, so "
               "that readers' browsers do not send their addresses there",
               "download the image, copy it into `content/files/` and write its path, e.g. "
               "`![Description](/files/image-name.jpg)`")},
    "data-image": {
        "vi": ("ảnh được nhúng thẳng vào bài (`{src}`): cổng không đăng loại ảnh này",
               "lưu ảnh thành tệp trong `content/files/` rồi ghi `![Mô tả ảnh](/files/ten-anh.png)` thay cho "
               "đoạn `data:...`"),
        "en": ("an image embedded in the text (`{src}`): the portal does not publish such images",
               "save the image as a file under `content/files/` and write `![Description](/files/image-name.png)` "
               "instead of the `data:...` text")},
    # --- input files: links, types, limits (load.py, inputs.py) ---------
    "input-link": {
        "vi": ("liên kết tượng trưng (symlink) tới `{target}`: chỉ đọc liên kết tới một tệp nằm trong `{top}/` "
               "(liên kết tới thư mục, tới tệp ở ngoài hay không còn tệp đích đều không được theo)",
               "xóa liên kết và chép chính tệp cần đăng vào đây"),
        "en": ("a symbolic link to `{target}`: only a link to a file inside `{top}/` is read (links to folders, "
               "to files outside or to nothing are never followed)",
               "delete the link and copy the file itself here")},
    "input-special": {
        "vi": ("đây không phải tệp thông thường ({kind}); chương trình không đọc loại này",
               "xóa nó khỏi thư mục trang"),
        "en": ("this is not a regular file ({kind}); the build never reads one",
               "remove it from the site folder")},
    "input-bad-name": {
        "vi": ("trong thư mục này có tên tệp chứa ký tự điều khiển, dấu `\\` hoặc byte không phải UTF-8: {name}",
               "đổi tên tệp, chỉ dùng chữ, số, dấu `-` và `.`"),
        "en": ("a file name in this folder holds a control character, a backslash or a byte that is not UTF-8: {name}",
               "rename the file using letters, digits, `-` and `.`")},
    "input-too-deep": {
        "vi": ("thư mục lồng quá {depth} cấp",
               "sắp xếp lại tệp vào ít cấp thư mục hơn"),
        "en": ("folders nested deeper than {depth} levels",
               "move the files into fewer levels of folders")},
    "input-too-large": {
        "vi": ("tệp quá lớn ({size}; tối đa {limit})",
               "chia nhỏ tệp, hoặc nén/giảm độ phân giải (bản quét PDF ở 150 dpi thường đủ đọc)"),
        "en": ("the file is too large ({size}; at most {limit})",
               "split the file, or compress it / lower its resolution (150 dpi is enough for a scanned PDF)")},
    "text-too-large": {
        "vi": ("tệp văn bản quá lớn ({size}; tối đa {limit})",
               "chia thành nhiều bài, hoặc đưa bảng biểu dài vào một tệp đính kèm (PDF, Excel)"),
        "en": ("the text file is too large ({size}; at most {limit})",
               "split it into several posts, or put long tables in an attachment (PDF, Excel)")},
    "input-unreadable": {
        "vi": ("không đọc được: {detail}",
               "kiểm tra quyền đọc của tệp/thư mục"),
        "en": ("cannot be read: {detail}",
               "check the file's or folder's permissions")},
    "input-not-folder": {
        "vi": ("đây phải là một thư mục",
               "đổi tên tệp này và tạo thư mục cùng tên"),
        "en": ("this must be a folder",
               "rename this file and create a folder of that name")},
    "file-type-refused": {
        "vi": ("tệp loại `.{ext}` không được đăng: trình duyệt có thể chạy mã trong đó dưới tên miền của cổng, "
               "hoặc đây không phải loại tài liệu cổng công bố",
               "chuyển tài liệu sang PDF (văn bản), PNG/JPG (ảnh) hoặc nén thành .zip rồi đính kèm; "
               "tệp giao diện (CSS, JS) đặt trong thư mục static/"),
        "en": ("a `.{ext}` file is not published: a browser could run code in it on the portal's origin, or it is "
               "not a kind of document the portal publishes",
               "convert the document to PDF (text), PNG/JPG (images) or pack it as .zip and attach that; theme files "
               "(CSS, JS) belong in static/")},
    "file-type-mismatch": {
        "vi": ("tệp có đuôi `.{ext}` nhưng nội dung không phải loại đó",
               "mở tệp bằng chương trình gốc và lưu lại đúng định dạng `.{ext}`, hoặc đổi đuôi cho đúng"),
        "en": ("the file is named `.{ext}` but its content is not of that type",
               "open it in its program and save it again as `.{ext}`, or give it the right extension")},
    "markdown-as-text": {
        "vi": ("tệp `{name}` thật ra là tệp `.txt` (Windows ẩn đuôi tệp nên trông như `.md`): cổng không đọc nó "
               "thành bài, mà sẽ đăng nguyên văn bản thô của nó",
               "đổi tên tệp thành `{fixed}`; trong File Explorer bật View → “File name extensions” để thấy và xóa "
               "đuôi `.txt`, hoặc khi lưu bằng Notepad chọn “Save as type: All files”"),
        "en": ("`{name}` is really a `.txt` file (Windows hides extensions, so it looks like `.md`): the portal does "
               "not read it as a post, it would publish its raw text",
               "rename it to `{fixed}`; in File Explorer turn on View → “File name extensions” to see and remove "
               "the `.txt`, or save from Notepad with “Save as type: All files”")},
    "document-in-section": {
        "vi": ("tệp văn bản `{name}` nằm lẫn với các bài của chuyên mục `{section}` mà không bài nào dùng tới: cổng "
               "không biến nó thành bài, chỉ đăng nguyên tệp ở địa chỉ `/{url}`",
               "nếu là tệp đính kèm: chuyển vào `content/files/` và ghi vào `attachments:` của bài; nếu là nội dung "
               "của một bài: chạy `python build.py new --from {name}` (hoặc chép nội dung vào một bài .md) rồi xóa "
               "tệp này"),
        "en": ("the document `{name}` lies among the posts of the `{section}` section and no post uses it: the portal "
               "does not make it a post, it only publishes the file as it is at `/{url}`",
               "if it is an attachment: move it into `content/files/` and list it under a post's `attachments:`; if it "
               "is a post's text: run `python build.py new --from {name}` (or copy the text into a .md post) and "
               "delete this file")},
    "asset-shadows-theme": {
        "vi": ("tệp này sẽ thay thế tệp giao diện `/{target}` mà mọi trang dùng",
               "đổi tên hoặc chuyển tệp sang thư mục khác (như content/files/); muốn thay giao diện thì đặt tệp "
               "trong thư mục static/"),
        "en": ("this file would take the place of the theme file `/{target}` that every page uses",
               "rename it or move it to another folder (such as content/files/); to change the theme, put the file "
               "in static/")},
    # --- fields ---------------------------------------------------------
    "missing-key": {
        "vi": ("thiếu thông tin bắt buộc `{key}`",
               "thêm dòng `{example}` vào phần thông tin đầu tệp"),
        "en": ("the required key `{key}` is missing",
               "add a line `{example}` to the front matter")},
    "unknown-key": {
        "vi": ("khóa không hợp lệ `{key}`",
               "có phải ý bạn là `{suggestion}`? Các khóa được dùng: {known}"),
        "en": ("unknown key `{key}`",
               "did you mean `{suggestion}`? Known keys: {known}")},
    "inspection-in-page": {
        "vi": ("trang tĩnh (chuyên mục `kind: pages`) không thuộc hồ sơ kiểm tra được: hồ sơ gồm các thông báo, "
               "kết quả có ngày đăng",
               "chuyển tệp này sang một chuyên mục bài viết (như `ket-qua/`) và thêm `date:`, hoặc xóa khối `inspection:`"),
        "en": ("a plain page (a `kind: pages` section) cannot belong to an inspection record: a record is made of "
               "dated notices and results",
               "move this file to a posts section (such as `ket-qua/`) and give it a `date:`, or delete the "
               "`inspection:` block")},
    "unknown-key-nosugg": {
        "vi": ("khóa không hợp lệ `{key}`",
               "xóa dòng này; các khóa được dùng: {known}"),
        "en": ("unknown key `{key}`",
               "delete this line; known keys: {known}")},
    "wrong-type": {
        "vi": ("`{key}` phải là {expected}",
               "sửa thành dạng `{example}`"),
        "en": ("`{key}` must be {expected}",
               "write it as `{example}`")},
    "empty-value": {
        "vi": ("`{key}` không được để trống",
               "điền giá trị, ví dụ `{example}`, hoặc xóa dòng này"),
        "en": ("`{key}` is empty",
               "fill it in, e.g. `{example}`, or delete the line")},
    "bad-date": {
        "vi": ("`{key}` không phải ngày hợp lệ: `{value}`",
               "viết ngày dạng `2021-10-08` hoặc `2021-10-08 09:00` (giờ Việt Nam)"),
        "en": ("`{key}` is not a valid date: `{value}`",
               "write the date as `2021-10-08` or `2021-10-08 09:00` (Vietnam time)")},
    "bad-choice": {
        "vi": ("`{key}` không nhận giá trị `{value}`",
               "dùng một trong các giá trị: {choices}"),
        "en": ("`{key}` does not accept `{value}`",
               "use one of: {choices}")},
    "number-too-large": {
        "vi": ("`{key}` lớn quá: `{value}` (tối đa {max})", "viết một số nhỏ hơn, ví dụ `{key}: 10`"),
        "en": ("`{key}` is too large: `{value}` (at most {max})", "write a smaller number, for example `{key}: 10`")},
    "bad-number": {
        "vi": ("`{key}` phải là số nguyên dương, không phải `{value}`",
               "viết một số, ví dụ `{key}: 10`"),
        "en": ("`{key}` must be a positive whole number, not `{value}`",
               "write a number, e.g. `{key}: 10`")},
    "bad-base-url": {
        "vi": ("`{key}` không phải địa chỉ web đầy đủ: `{value}`",
               "viết dạng `https://tenmien.gov.vn/` hoặc có thư mục con `https://tenmien.gov.vn/tanduc/`"),
        "en": ("`{key}` is not a full web address: `{value}`",
               "write it as `https://example.gov.vn/` or with a sub-path `https://example.gov.vn/tanduc/`")},
    "bad-link": {
        "vi": ("`{key}` không phải địa chỉ được phép: `{value}`",
               "viết địa chỉ web đầy đủ `https://...`, `mailto:`, `tel:`, hoặc đường dẫn trong cổng `/duong-dan/` "
               "(chỉ nhận: {schemes})"),
        "en": ("`{key}` is not an allowed address: `{value}`",
               "write a full web address `https://...`, `mailto:`, `tel:`, or a portal path `/path/` (accepted: {schemes})")},
    "bad-path": {
        "vi": ("`{key}` phải là đường dẫn tới một tệp trong content/, không phải địa chỉ: `{value}`",
               "viết dạng `{example}`; tài liệu ở trang khác thì đặt liên kết trong nội dung bài"),
        "en": ("`{key}` must be the path of a file under content/, not an address: `{value}`",
               "write it as `{example}`; for a document on another site, put a link in the body")},
    "bad-email": {
        "vi": ("`{key}` không phải địa chỉ thư điện tử: `{value}`",
               "viết dạng `ubnd@tenmien.gov.vn`"),
        "en": ("`{key}` is not an e-mail address: `{value}`",
               "write it as `office@example.gov.vn`")},
    "bad-phone": {
        "vi": ("`{key}` không phải số điện thoại: `{value}`",
               "chỉ dùng chữ số, dấu cách, `+`, `.`, `-` và ngoặc, ví dụ `0252 3 848 123`"),
        "en": ("`{key}` is not a phone number: `{value}`",
               "use digits, spaces, `+`, `.`, `-` and brackets only, e.g. `0252 3 848 123`")},
    "bad-timezone": {
        "vi": ("múi giờ không tồn tại: `{value}`",
               "dùng `Asia/Ho_Chi_Minh`"),
        "en": ("unknown time zone `{value}`",
               "use `Asia/Ho_Chi_Minh`")},
    "bad-section-name": {
        "vi": ("tên thư mục chuyên mục `{name}` không hợp lệ",
               "dùng chữ thường không dấu và dấu gạch ngang, ví dụ `tin-tuc`"),
        "en": ("the section folder name `{name}` is not valid",
               "use lowercase ASCII letters and hyphens, e.g. `tin-tuc`")},
    "reserved-section": {
        "vi": ("tên chuyên mục `{name}` trùng với đường dẫn dành riêng của cổng",
               "đổi tên thư mục, tránh các tên: {reserved}"),
        "en": ("the section name `{name}` clashes with a path the portal uses",
               "rename the folder; these names are reserved: {reserved}")},
    "bad-slug": {
        "vi": ("`slug` chỉ được gồm chữ thường không dấu, số và dấu gạch ngang: `{value}`",
               "ví dụ `slug: {suggestion}`"),
        "en": ("`slug` may only hold lowercase ASCII letters, digits and hyphens: `{value}`",
               "for example `slug: {suggestion}`")},
    "long-slug": {
        "vi": ("`slug` dài quá {max} ký tự: `{value}`", "rút ngắn, ví dụ `slug: {suggestion}`"),
        "en": ("`slug` is longer than {max} characters: `{value}`", "shorten it, for example `slug: {suggestion}`")},
    "empty-unit-slug": {
        "vi": ("không tạo được đường dẫn từ tên đơn vị `{name}`",
               "thêm dòng `slug: ten-don-vi` (chữ thường không dấu) cho đơn vị này"),
        "en": ("no URL slug can be made from the unit name `{name}`",
               "add a line `slug: unit-name` (lowercase ASCII) to this unit")},
    "empty-slug": {
        "vi": ("không tạo được đường dẫn từ tiêu đề",
               "thêm dòng `slug: ten-bai-viet` (chữ thường không dấu)"),
        "en": ("no URL slug can be made from the title",
               "add a line `slug: post-name` (lowercase ASCII)")},
    # --- whole site -----------------------------------------------------
    "duplicate-url": {
        "vi": ("bài viết này và `{other}` cùng được ghi ra đường dẫn `{url}`",
               "đổi `slug:` của một trong hai bài"),
        "en": ("this file and `{other}` would both be written to `{url}`",
               "change the `slug:` of one of them")},
    "reserved-slug": {
        "vi": ("`slug` `{slug}` trùng với đường dẫn phân trang `{url}`",
               "đổi `slug:` thành tên khác, ví dụ `{slug}-1`"),
        "en": ("the slug `{slug}` clashes with the pagination path `{url}`",
               "change `slug:` to another name, e.g. `{slug}-1`")},
    "broken-link": {
        "vi": ("liên kết tới bài viết không tồn tại `{target}`",
               "sửa đường dẫn tương đối tới tệp .md (tính từ thư mục của bài này){suggestion}"),
        "en": ("link to a post that does not exist: `{target}`",
               "fix the path to the .md file (relative to this post's folder){suggestion}")},
    "missing-file": {
        "vi": ("tệp đính kèm hoặc ảnh không tồn tại `{target}`",
               "chép tệp vào `content/files/` và ghi đường dẫn `/files/ten-tep`, hoặc sửa tên tệp{suggestion}"),
        "en": ("the attachment or image `{target}` does not exist",
               "copy the file into `content/files/` and write `/files/file-name`, or fix the name{suggestion}")},
    "bad-alias": {
        "vi": ("địa chỉ cũ `{value}` trong `aliases` không dùng được: {reason}",
               "ghi địa chỉ đầy đủ của bài trên cổng cũ, ví dụ `http://huyen.gov.vn/tin-tuc/bai-cu.html`, hoặc bỏ dòng này"),
        "en": ("the old address `{value}` in `aliases` cannot be kept: {reason}",
               "write the post's full address on the old portal, e.g. `http://huyen.gov.vn/tin-tuc/bai-cu.html`, or remove it")},
    "alias-taken": {
        "vi": ("địa chỉ cũ `{url}` trùng với {other}",
               "mỗi địa chỉ cũ chỉ chuyển tới một trang: bỏ địa chỉ này ở một trong hai nơi"),
        "en": ("the old address `{url}` clashes with {other}",
               "an old address can lead to one page only: remove it from one of the two")},
    "local-file-link": {
        "vi": ("liên kết `{target}` trỏ tới một tệp trên máy tính của người soạn, bạn đọc không mở được",
               "chép tệp vào `content/files/` và ghi đường dẫn `/files/ten-tep`"),
        "en": ("the link `{target}` points at a file on the writer's own computer, which readers cannot open",
               "copy the file into `content/files/` and write `/files/file-name`")},
    "unknown-address": {
        "vi": ("liên kết `{target}` trỏ tới địa chỉ `{url}` mà cổng không có trang nào",
               "sửa địa chỉ cho đúng một trang của cổng, hoặc liên kết tới tệp .md của bài{suggestion}"),
        "en": ("the link `{target}` points at `{url}`, where the portal has no page",
               "fix the address to one of the portal's pages, or link to the post's .md file{suggestion}")},
    "outside-content": {
        "vi": ("đường dẫn `{target}` trỏ ra ngoài thư mục content/",
               "đặt tệp trong `content/` (ví dụ `content/files/`) và dùng đường dẫn `/files/...`"),
        "en": ("the path `{target}` leads outside content/",
               "put the file under `content/` (e.g. `content/files/`) and write `/files/...`")},
    "link-to-unpublished": {
        "vi": ("liên kết tới bài chưa được đăng (bản nháp hoặc hẹn giờ) `{target}`",
               "liên kết sẽ hỏng cho tới khi bài kia được đăng; đăng bài đó trước hoặc bỏ liên kết"),
        "en": ("link to a post that is not published (draft or scheduled): `{target}`",
               "the link stays broken until that post is published; publish it first or remove the link")},
    "summary-too-long": {
        "vi": ("phần tóm tắt dài {length} ký tự (quá 300)",
               "rút gọn `summary:` còn một hai câu"),
        "en": ("the summary is {length} characters long (over 300)",
               "shorten `summary:` to one or two sentences")},
    "empty-body": {
        "vi": ("bài không có nội dung (thân bài trống, không có tệp đính kèm)",
               "viết nội dung bên dưới dòng `---`, đính kèm văn bản (`attachments:`), hoặc để `draft: true` tới khi xong"),
        "en": ("the post has nothing to read (an empty body and no attachment)",
               "write the text below the `---` line, attach the document (`attachments:`), or keep `draft: true` until done")},
    "placeholder-text": {
        "vi": ("bài còn câu mẫu “{text}” do lệnh `python build.py new` viết sẵn: câu này sẽ hiện trên trang",
               "xóa câu mẫu và viết nội dung thật của bài vào chỗ đó; bài chưa xong thì để `draft: true`"),
        "en": ("the post still holds the starter's sentence “{text}” written by `python build.py new`: it shows on "
               "the page",
               "delete it and write the post's real text there; keep `draft: true` until the post is done")},
    "date-far-future": {
        "vi": ("ngày đăng `date` là {date}, còn hơn một năm nữa: bài không hiện trên cổng cho tới ngày đó "
               "(có phải gõ nhầm năm?)",
               "sửa năm trong `date:` cho đúng (năm nay là {year}); nếu thật sự hẹn đăng xa như vậy thì giữ nguyên"),
        "en": ("the `date` is {date}, more than a year ahead: the post stays off the portal until then "
               "(a typo in the year?)",
               "correct the year in `date:` (this year is {year}); if it really is meant for then, leave it")},
    "image-no-alt": {
        "vi": ("ảnh `{src}` không có mô tả (alt)",
               "viết mô tả trong ngoặc vuông: `![Đoàn kiểm tra làm việc tại xã](...)`"),
        "en": ("the image `{src}` has no alt text",
               "describe it in the brackets: `![Inspection team at work](...)`")},
    "expires-before-date": {
        "vi": ("ngày hết hạn `expires` ({expires}) trước ngày đăng ({date})",
               "sửa `expires:` thành một ngày sau ngày đăng"),
        "en": ("`expires` ({expires}) is before the post's date ({date})",
               "set `expires:` to a day after the date")},
    "output-collision": {
        "vi": ("tệp trùng đường dẫn với một trang cổng tự tạo (`{target}`)",
               "đổi tên tệp hoặc chuyển nó vào `content/files/`"),
        "en": ("this file has the path of a page the portal makes (`{target}`)",
               "rename the file or move it into `content/files/`")},
    "output-outside": {
        "vi": ("tệp xuất `{target}` nằm ngoài thư mục xuất: không ghi",
               "kiểm tra các `slug` (bài viết, `data/units.yaml`) và đường dẫn trong nội dung"),
        "en": ("the output file `{target}` would be outside the output folder: not written",
               "check the `slug` values (posts, `data/units.yaml`) and the paths in the content")},
    "unsafe-output": {
        "vi": ("thư mục kết quả `{output}` đã có những tệp không phải do công cụ này tạo ra (hoặc là thư mục trang); "
               "xây dựng vào đó sẽ xóa chúng",
               "chọn một thư mục trống hoặc chưa có bằng `--output`, hoặc tự dọn thư mục đó nếu chắc chắn"),
        "en": ("the output folder `{output}` holds files this tool did not make (or is the site folder); "
               "building into it would delete them",
               "pick an empty or new folder with `--output`, or empty that folder yourself if you are sure")},
    "pdf-unreadable": {
        "vi": ("không đọc được tệp PDF `{target}` để đếm số trang",
               "mở tệp bằng trình đọc PDF; nếu tệp hỏng, xuất lại PDF từ văn bản gốc"),
        "en": ("the PDF `{target}` cannot be read to count its pages",
               "open it in a PDF reader; if it is damaged, export the PDF again from the original")},
    "pdf-no-text": {
        "vi": ("tệp đính kèm `{target}` là bản quét, không có lớp chữ: người đọc bằng trình đọc màn hình "
               "và ô tìm kiếm không đọc được nội dung",
               "đính kèm thêm bản PDF có chữ (xuất từ Word) hoặc chạy nhận dạng chữ (OCR) trước khi đăng"),
        "en": ("the attachment `{target}` is a scan with no text layer: screen readers and the search "
               "cannot read what it says",
               "attach a PDF with text as well (exported from Word), or run text recognition (OCR) before publishing")},
    "reserved-inspection-id": {
        "vi": ("mã đợt kiểm tra `{id}` trùng với đường dẫn dành riêng `{url}`",
               "đổi `id:` thành tên khác, ví dụ `{id}-1` (tránh: {reserved})"),
        "en": ("the inspection id `{id}` clashes with the reserved path `{url}`",
               "change `id:` to another name, e.g. `{id}-1` (avoid: {reserved})")},
    "output-failed": {
        "vi": ("không ghi được khi xây dựng: {detail}",
               "kiểm tra quyền ghi vào thư mục xuất (`--output`) và chỗ trống trên đĩa, rồi chạy lại; bản cũ vẫn nguyên"),
        "en": ("writing failed during the build: {detail}",
               "check the write permission of the output folder (`--output`) and the free disk space, then run "
               "again; the last output is untouched")},
    "template-error": {
        "vi": ("lỗi trong mẫu giao diện: {detail}",
               "sửa mẫu trong thư mục templates/ hoặc xóa nó để dùng mẫu mặc định"),
        "en": ("error in a template: {detail}",
               "fix the template in templates/ or delete it to use the default one")},
    # --- site.yaml notices: downtime, monitoring, trust marks (validate.py, checks.py) ---
    "not-https": {
        "vi": ("`{key}` phải là địa chỉ đầy đủ bắt đầu bằng `https://`: `{value}`",
               "chép đúng địa chỉ `https://...` mà cơ quan cấp đưa, ví dụ `{example}` (không nhận http://, "
               "đường dẫn trong cổng hay địa chỉ có dấu cách)"),
        "en": ("`{key}` must be a full address starting with `https://`: `{value}`",
               "copy the `https://...` address the issuing agency gives, e.g. `{example}` (no http://, portal path or "
               "address with spaces)")},
    "maintenance-reversed": {
        "vi": ("thông báo tạm ngừng kết thúc ({end}) không sau lúc bắt đầu ({start})",
               "sửa `end:` thành một thời điểm sau `start:`, ví dụ `end: \"2026-12-21 02:00\"`"),
        "en": ("the downtime notice ends ({end}) no later than it starts ({start})",
               "change `end:` to a time after `start:`, e.g. `end: \"2026-12-21 02:00\"`")},
    "maintenance-restore-early": {
        "vi": ("lúc hoạt động trở lại ({restore}) trước lúc bắt đầu tạm ngừng ({start})",
               "sửa `restore:` thành một thời điểm sau `start:`, hoặc xóa dòng đó (mặc định là lúc kết thúc)"),
        "en": ("the restore time ({restore}) is before the downtime starts ({start})",
               "change `restore:` to a time after `start:`, or delete the line (it defaults to the end)")},
    "maintenance-short-notice": {
        "vi": ("thông báo tạm ngừng lúc {start} chỉ được đưa trước {days} ngày làm việc (từ {announced}); "
               "NĐ 224/2026, Điều 13 khoản 1 điểm a yêu cầu thông báo trước ít nhất 7 ngày làm việc",
               "thông báo muộn nhất ngày {latest}, hoặc dời `start:` tới ngày {earliest} hoặc sau đó "
               "(không tính thứ Bảy, Chủ nhật, ngày lễ, Tết)"),
        "en": ("the downtime at {start} is announced only {days} working days ahead (from {announced}); "
               "Decree 224/2026, Art. 13(1)(a) asks for at least 7 working days",
               "announce it on {latest} at the latest, or move `start:` to {earliest} or later (Saturdays, Sundays "
               "and public holidays do not count)")},
    "trust-mark-missing": {
        "vi": ("không có ảnh `{target}` của biểu tượng chứng nhận",
               "đặt ảnh vào content/ (ví dụ content/files/tin-nhiem-mang.png) và ghi `image: /files/tin-nhiem-mang.png`"),
        "en": ("the trust mark's image `{target}` does not exist",
               "put the image under content/ (e.g. content/files/tin-nhiem-mang.png) and write "
               "`image: /files/tin-nhiem-mang.png`")},
    "trust-mark-not-image": {
        "vi": ("`{target}` không phải ảnh PNG, JPG, GIF hay WebP đọc được kích thước",
               "dùng ảnh PNG, JPG, GIF hoặc WebP do đơn vị cấp chứng nhận đưa, hoặc ghi `width:` và `height:`"),
        "en": ("`{target}` is not a PNG, JPG, GIF or WebP image whose size can be read",
               "use the PNG, JPG, GIF or WebP image the issuer gives, or write `width:` and `height:`")},
    # --- units and inspections ------------------------------------------
    "unknown-unit": {
        "vi": ("đơn vị `{name}` không có trong data/units.yaml",
               "dùng đúng tên trong data/units.yaml hoặc thêm đơn vị vào đó{suggestion}"),
        "en": ("the unit `{name}` is not in data/units.yaml",
               "use a name from data/units.yaml or add the unit there{suggestion}")},
    "duplicate-unit": {
        "vi": ("đơn vị `{name}` được khai báo hai lần (đường dẫn `{slug}`)",
               "xóa một mục hoặc đặt `slug:` khác nhau"),
        "en": ("the unit `{name}` is declared twice (slug `{slug}`)",
               "delete one entry or give them different `slug:` values")},
    "result-without-notice": {
        "vi": ("đợt kiểm tra `{id}` có {stage} nhưng không có bài thông báo (`stage: notice`)",
               "đăng bài thông báo với `inspection: {{id: {id}, stage: notice}}` hoặc sửa `id:` cho đúng{suggestion}"),
        "en": ("inspection `{id}` has a {stage} but no announcement (`stage: notice`)",
               "publish a notice with `inspection: {{id: {id}, stage: notice}}` or fix the `id:`{suggestion}")},
    "duplicate-notice": {
        "vi": ("đợt kiểm tra `{id}` đã có bài thông báo `{other}`",
               "mỗi đợt kiểm tra chỉ có một bài `stage: notice`; đổi `id:` hoặc `stage:` của một bài"),
        "en": ("inspection `{id}` already has the notice `{other}`",
               "an inspection has one `stage: notice` post; change the `id:` or `stage:` of one of them")},
    "finding-unit-not-covered": {
        "vi": ("kết luận cho đơn vị `{unit}` nhưng đợt kiểm tra `{id}` không kiểm tra đơn vị này",
               "thêm `{unit}` vào `units:` của bài thông báo hoặc sửa tên đơn vị ({units})"),
        "en": ("a finding for `{unit}`, but inspection `{id}` did not cover that unit",
               "add `{unit}` to the notice's `units:` or fix the unit's name ({units})")},
    "followup-unknown-finding": {
        "vi": ("báo cáo khắc phục cho `{unit}` nhưng kết luận của đợt `{id}` không có nội dung nào về đơn vị này",
               "sửa tên đơn vị cho khớp kết luận ({units})"),
        "en": ("a follow-up for `{unit}`, but the result of `{id}` has no finding for that unit",
               "fix the unit's name to match the result ({units})")},
    "period-reversed": {
        "vi": ("thời gian kiểm tra kết thúc ({end}) trước khi bắt đầu ({start})",
               "sửa `period: {{start: ..., end: ...}}` cho đúng thứ tự"),
        "en": ("the inspection period ends ({end}) before it starts ({start})",
               "fix `period: {{start: ..., end: ...}}`")},
    "superseded-missing": {
        "vi": ("`superseded_by` trỏ tới bài không tồn tại `{target}`",
               "ghi đường dẫn tương đối tới tệp .md của bài thay thế{suggestion}"),
        "en": ("`superseded_by` points to a post that does not exist: `{target}`",
               "give the relative path to the replacing post's .md file{suggestion}")},
    "disclosure-late": {
        "vi": ("kết luận ký ngày {signed} nhưng đăng ngày {published}, muộn {days} ngày (tối đa {limit} ngày)",
               "đăng kết luận trong vòng {limit} ngày kể từ ngày ký; kiểm tra lại `signed:` và `date:`"),
        "en": ("the conclusion was signed on {signed} but published on {published}, {days} days later (at most {limit})",
               "publish within {limit} days of signing; check `signed:` and `date:`")},
    "disclosure-short": {
        "vi": ("kết luận đăng ngày {published} chỉ được công khai tới {until}, chưa đủ {min_days} ngày (đến {required})",
               "để `expires:`/`withdrawn:` từ ngày {required} trở đi"),
        "en": ("the conclusion published on {published} is only listed until {until}, short of {min_days} days (until {required})",
               "set `expires:`/`withdrawn:` to {required} or later")},
    # --- `build.py new SECTION --from tệp.docx` (wordin) -------------------
    "word-not-docx": {
        "vi": ("tệp này không phải tệp Word .docx (hoặc đã hỏng)",
               "mở tệp bằng Word hoặc LibreOffice, chọn Lưu thành (Save As) dạng Word Document (.docx), rồi chạy lại"),
        "en": ("this is not a Word .docx file (or it is damaged)",
               "open it in Word or LibreOffice, Save As a Word Document (.docx), and run again")},
    "word-old-doc": {
        "vi": ("đây là tệp Word đời cũ (.doc), chưa chuyển được",
               "mở tệp bằng Word hoặc LibreOffice, chọn Lưu thành (Save As) dạng Word Document (.docx), rồi chạy lại"),
        "en": ("this is an old Word file (.doc), which cannot be converted",
               "open it in Word or LibreOffice, Save As a Word Document (.docx), and run again")},
    "word-too-large": {
        "vi": ("tệp Word nặng {size}, quá giới hạn {limit}",
               "giảm dung lượng ảnh trong tệp (Word: Nén ảnh / Compress Pictures), hoặc đăng văn bản dạng PDF đính kèm"),
        "en": ("the Word file is {size}, over the limit of {limit}",
               "make its pictures smaller (Word: Compress Pictures), or publish the document as an attached PDF")},
    "word-bomb": {
        "vi": ("tệp Word giải nén ra {size} trong {members} phần: nén chặt bất thường, quá nhiều phần hoặc quá {limit}, có thể là tệp độc hại",
               "không dùng tệp này; xin lại bản gốc từ người soạn, hoặc chép nội dung sang một tệp Word mới"),
        "en": ("the Word file unpacks into {size} in {members} parts: packed abnormally tight, too many parts or over {limit}; it may be hostile",
               "do not use this file; ask its author for the original, or copy its text into a new Word file")},
    "word-corrupt": {
        "vi": ("không đọc được nội dung tệp Word ({detail}): tệp bị hỏng",
               "mở tệp bằng Word, lưu lại thành tệp .docx mới rồi chạy lại; hoặc chép nội dung sang một tệp Word mới"),
        "en": ("the Word file's content cannot be read ({detail}): it is damaged",
               "open it in Word, save it as a new .docx and run again; or copy its text into a new Word file")},
    "word-unreadable": {
        "vi": ("không mở được tệp ({detail})",
               "kiểm tra đường dẫn sau `--from` và quyền đọc tệp"),
        "en": ("the file cannot be opened ({detail})",
               "check the path after `--from` and that the file can be read")},
    "word-post-exists": {
        "vi": ("tệp bài viết này đã có",
               "sửa tệp đó, hoặc đặt tiêu đề khác: `python build.py new CHUYÊN-MỤC \"Tiêu đề khác\" --from tệp.docx`"),
        "en": ("this post's file already exists",
               "edit that file, or give another title: `python build.py new SECTION \"Another title\" --from file.docx`")},
    "word-too-many-images": {
        "vi": ("tệp Word có hơn {limit} ảnh: chỉ lấy {limit} ảnh đầu",
               "chia văn bản thành nhiều bài, hoặc đưa các ảnh còn lại vào content/files/ và chèn vào bài"),
        "en": ("the Word file has more than {limit} pictures: only the first {limit} are taken",
               "split it into several posts, or put the other pictures in content/files/ and link them")},
    "word-image-unreadable": {
        "vi": ("ảnh thứ {number} trong tệp Word không đọc được ({detail}): đã bỏ",
               "chèn lại ảnh đó trong Word (Chèn > Ảnh, không dùng ảnh liên kết), hoặc đưa ảnh vào content/files/ và chèn vào bài"),
        "en": ("picture {number} of the Word file cannot be read ({detail}): left out",
               "insert it again in Word (Insert > Picture, not a linked picture), or put it in content/files/ and link it")},
    "word-image-too-large": {
        "vi": ("ảnh thứ {number} trong tệp Word nặng quá {limit}: chưa tạo bài",
               "trong Word chọn ảnh, Định dạng ảnh > Nén ảnh (Compress Pictures), lưu lại rồi chạy lại"),
        "en": ("picture {number} of the Word file is over {limit}: no post was written",
               "in Word select the picture, Picture Format > Compress Pictures, save and run again")},
    "word-image-type": {
        "vi": ("ảnh thứ {number} trong tệp Word có dạng {type}, cổng không đăng dạng này: đã bỏ",
               "lưu ảnh thành PNG hoặc JPG, đưa vào content/files/ và chèn vào bài"),
        "en": ("picture {number} of the Word file is a {type}, which the portal does not publish: left out",
               "save it as PNG or JPG, put it in content/files/ and link it from the post")},
    "word-image-pixels": {
        "vi": ("ảnh thứ {number} trong tệp Word có kích thước {size} điểm ảnh, quá {limit} triệu điểm ảnh (hoặc không đọc được): chưa tạo bài",
               "thu nhỏ ảnh (chiều rộng khoảng 1600 điểm ảnh là đủ) hoặc dùng Nén ảnh (Compress Pictures) trong Word, lưu lại rồi chạy lại"),
        "en": ("picture {number} of the Word file is {size} pixels, over {limit} million pixels (or unreadable): no post was written",
               "make it smaller (about 1600 pixels wide is enough) or use Compress Pictures in Word, save and run again")},
    "word-local-link": {
        "vi": ("liên kết `{target}` chỉ tới một tệp trên máy người soạn: đã bỏ liên kết, giữ chữ",
               "đưa tệp đó vào content/files/ rồi sửa liên kết trong bài thành `/files/tên-tệp`"),
        "en": ("the link `{target}` points at a file on its author's computer: the link is dropped, its words kept",
               "put that file in content/files/ and change the link in the post to `/files/file-name`")},
}

# The reasons of a YAML syntax error (load._YAML_REASONS maps both parsers' English to these), for yaml-syntax.
YAML_REASONS = {
    "colon": {"vi": "có dấu `:` ở chỗ không được (một giá trị chứa `: ` phải đặt cả trong ngoặc kép thẳng `\"...\"`)",
              "en": "a `:` where none may be (a value that contains `: ` must be put in straight quotes `\"...\"`)"},
    "no-colon": {"vi": "thiếu dấu `:` sau tên khóa (hoặc một dòng của giá trị nhiều dòng bị thụt lề sai)",
                 "en": "a `:` is missing after the key (or a line of a multi-line value is wrongly indented)"},
    "unclosed-quote": {"vi": "một dấu ngoặc kép được mở mà không đóng",
                       "en": "a quote is opened and never closed"},
    "unclosed-list": {"vi": "danh sách `[...]` thiếu dấu `]` đóng, hoặc có phần tử chứa `:`/`,` chưa đặt trong ngoặc kép",
                      "en": "a `[...]` list lacks its closing `]`, or an item holding `:`/`,` is not quoted"},
    "unclosed-map": {"vi": "bảng `{{...}}` thiếu dấu `}}` đóng, hoặc có giá trị chứa `:`/`,` chưa đặt trong ngoặc kép",
                     "en": "a `{{...}}` table lacks its closing `}}`, or a value holding `:`/`,` is not quoted"},
    "indent": {"vi": "thụt lề không đúng, thiếu dấu `-` hoặc `:`, hoặc có chữ thừa sau dấu ngoặc kép đóng",
               "en": "wrong indentation, a missing `-` or `:`, or text after a closing quote"},
    "star": {"vi": "giá trị bắt đầu bằng `*` (YAML hiểu là dùng lại một khối); đặt cả giá trị trong ngoặc kép",
             "en": "a value starting with `*` (YAML reads it as a reused block); put the value in quotes"},
    "backslash": {"vi": "dấu `\\` trong ngoặc kép không hợp lệ; viết `\\\\` hoặc dùng ngoặc đơn `'...'`",
                  "en": "a `\\` inside double quotes is not valid; write `\\\\` or use single quotes `'...'`"},
    "ampersand": {"vi": "giá trị bắt đầu bằng `&` hoặc `*`; đặt cả giá trị trong ngoặc kép",
                  "en": "a value starting with `&` or `*`; put the value in quotes"},
    "bad-start": {"vi": "ký tự “{char}” không được đứng đầu một giá trị; đặt cả giá trị trong ngoặc kép",
                  "en": "the character “{char}” cannot start a value; put the value in quotes"},
    "directive": {"vi": "dòng bắt đầu bằng `%` hoặc `---` thừa trong phần thông tin",
                  "en": "a stray line starting with `%` or `---` in the front matter"},
    "control": {"vi": "có ký tự điều khiển không nhìn thấy ({char}), thường do dán từ chương trình khác",
                "en": "an invisible control character ({char}), usually pasted from another program"},
}

_WARNING = {"vi": "cảnh báo: ", "en": "warning: "}
# Words passed as parameters ("stage", "expected") and said in the reader's language.
_TERMS = {
    "result": {"vi": "bài kết quả", "en": "result"},
    "follow-up": {"vi": "báo cáo khắc phục", "en": "follow-up"},
    "text": {"vi": "một đoạn chữ", "en": "text"},
    "list": {"vi": "một danh sách", "en": "a list"},
    "texts": {"vi": "danh sách các đoạn chữ", "en": "a list of texts"},
    "bool": {"vi": "`true` hoặc `false`", "en": "`true` or `false`"},
    "maps": {"vi": "một danh sách (mỗi mục bắt đầu bằng `-`)", "en": "a list (each item starting with `-`)"},
    "dict": {"vi": "một bảng `tên: {...}`", "en": "a table `name: {...}`"},
    "map": {"vi": "một bảng `{title: ...}`", "en": "a table `{title: ...}`"},
    # operating-system errors, by errno name (problems carry ``detail=errno.errorcode[n]`` where one is known)
    "EACCES": {"vi": "không có quyền", "en": "permission denied"},
    "EPERM": {"vi": "không được phép", "en": "operation not permitted"},
    "ENOSPC": {"vi": "đĩa đã đầy", "en": "no space left on the disk"},
    "EDQUOT": {"vi": "hết hạn mức dung lượng", "en": "disk quota exceeded"},
    "EROFS": {"vi": "ổ đĩa chỉ cho đọc", "en": "read-only file system"},
    "ENOENT": {"vi": "thư mục hoặc tệp không tồn tại", "en": "no such file or folder"},
    "ENOTDIR": {"vi": "một phần của đường dẫn không phải thư mục", "en": "a part of the path is not a folder"},
    "EISDIR": {"vi": "là thư mục", "en": "is a folder"},
    "EEXIST": {"vi": "đã có một tệp cùng tên ở đó", "en": "a file of that name is in the way"},
}


def os_reason(err: OSError) -> str:
    """What to say of an OSError: a translated term (see _TERMS) when one is known, else its own text."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    return name if name in _TERMS else (err.strerror or str(err))
_DID_YOU_MEAN = {"vi": "; có phải ý bạn là `{}`?", "en": "; did you mean `{}`?"}


@functools.cache
def _of_kinds() -> dict:
    """The problems the content kinds report, declared in their modules (kinds/)."""
    from .kinds import kinds
    return {code: entry for kind in kinds() for code, entry in kind.messages.items()}


def _entry(code: str) -> dict:
    entry = MESSAGES.get(code) or _of_kinds().get(code)
    if entry is None:
        raise KeyError(f"unknown problem code {code!r}")
    return entry


def require(code: str) -> None:
    _entry(code)


def warning_label(language: str) -> str:
    return _WARNING.get(language, _WARNING["en"])


_VISIBLE = {i: f"\\x{i:02x}" for i in (*range(32), 127)} | {9: "\\t", 10: "\\n", 13: "\\r"}


def render(code: str, params: dict, language: str = "vi") -> tuple[str, str]:
    """The sentence and its fix; a control character an editor typed is shown as ``\\n``, ``\\t``, ``\\x07``
    (so one problem stays on one line)."""
    entry = _entry(code)
    params = {k: v.translate(_VISIBLE) if isinstance(v, str) else v for k, v in params.items()}
    what, fix = entry.get(language) or entry["en"]
    if params.get("reason") in YAML_REASONS:
        reason = YAML_REASONS[params["reason"]]
        params = dict(params, reason=(reason.get(language) or reason["en"]).format(**params))
    for name in ("stage", "expected", "detail"):
        if params.get(name) in _TERMS:
            params = dict(params, **{name: _TERMS[params[name]].get(language, _TERMS[params[name]]["en"])})
    if "suggestion" in params and code not in ("unknown-key", "bad-slug", "long-slug"):
        closest = params["suggestion"]
        params = dict(params, suggestion=_DID_YOU_MEAN.get(language, _DID_YOU_MEAN["en"]).format(closest) if closest else "")
    return what.format(**params), fix.format(**params)
