# Xuất bản thư mục public/ đã dựng. Mọi thông tin đăng nhập lấy từ biến CI (đặt trong phần cài đặt
# của kho mã, loại "bí mật"/"masked"), không bao giờ ghi trong tệp này.
#   DEPLOY_METHOD = rsync (máy chủ riêng, qua SSH) hoặc ftp (hosting dùng chung); để trống: không xuất bản.
#   rsync: DEPLOY_HOST, DEPLOY_USER, DEPLOY_PATH, DEPLOY_SSH_KEY (khóa riêng), DEPLOY_KNOWN_HOSTS
#          (dòng `ssh-keyscan TÊN-MÁY` đã kiểm tra), DEPLOY_PORT (không bắt buộc, mặc định 22).
#   ftp:   FTP_HOST, FTP_USER, FTP_PASSWORD, FTP_PATH (thư mục trên hosting, ví dụ public_html/; chỉ dành
#          cho cổng: tệp nào ở đó mà không có trong public/ sẽ bị xóa).
set -eu
case "${DEPLOY_METHOD:-}" in
  rsync)
    mkdir -p ~/.ssh && chmod 700 ~/.ssh
    printf '%s\n' "$DEPLOY_SSH_KEY" > ~/.ssh/xuat-ban && chmod 600 ~/.ssh/xuat-ban
    printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > ~/.ssh/known_hosts
    rsync -rlcz --delete --delay-updates -e "ssh -i $HOME/.ssh/xuat-ban -p ${DEPLOY_PORT:-22} -o StrictHostKeyChecking=yes" \
      public/ "$DEPLOY_USER@$DEPLOY_HOST:$DEPLOY_PATH"
    rm -f ~/.ssh/xuat-ban
    ;;
  ftp)
    LFTP_PASSWORD="$FTP_PASSWORD" lftp --env-password -u "$FTP_USER" "$FTP_HOST" \
      -e "set ftp:ssl-allow true; set net:max-retries 3; mirror --reverse --delete --parallel=4 --verbose public/ $FTP_PATH; quit"
    ;;
  "")
    echo "Chưa đặt biến DEPLOY_METHOD (rsync hoặc ftp): trang đã dựng và kiểm tra, nhưng chưa xuất bản."
    ;;
  *)
    echo "DEPLOY_METHOD phải là rsync hoặc ftp (đang là: $DEPLOY_METHOD)." >&2
    exit 1
    ;;
esac
